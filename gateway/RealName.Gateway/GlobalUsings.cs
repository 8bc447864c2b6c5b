// Namespaces nearly every gateway file needs: gRPC, authorization, and the gateway's own error mapping,
// caller security and request validation.
global using Grpc.Core;
global using Microsoft.AspNetCore.Authorization;
global using RealName.Gateway.Errors;
global using RealName.Gateway.Security;
global using RealName.Gateway.Validation;
