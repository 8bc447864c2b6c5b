// Namespaces most grains need: immutable state, the rule book, and both sides of storage.
global using System.Collections.Immutable;
global using RealName.Rules;
global using RealName.Storage;
global using RealName.Storage.Reads;
global using RealName.Grains.Telemetry;
