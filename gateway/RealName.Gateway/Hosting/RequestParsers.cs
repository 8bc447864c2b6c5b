using System.Collections.Frozen;
using System.Reflection;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace RealName.Gateway.Hosting;

/// <summary>
/// The request message parser of every method of our contract, by gRPC path ("/realname.v1.X/Method"),
/// found through the generated descriptors, so a new service or method is covered without a list to keep.
/// </summary>
public static class RequestParsers
{
    private static readonly FrozenDictionary<string, MessageParser> ByPath = Build();

    public static MessageParser? For(string path) => ByPath.GetValueOrDefault(path);

    private static FrozenDictionary<string, MessageParser> Build()
    {
        var contracts = typeof(Contracts.V1.RegistrationService).Assembly;
        var files = contracts.GetTypes()
            .Where(t => t.Name.EndsWith("Reflection", StringComparison.Ordinal))
            .Select(t => t.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static)?.GetValue(null))
            .OfType<FileDescriptor>();
        return files
            .SelectMany(f => f.Services)
            .SelectMany(s => s.Methods.Select(m => ($"/{s.FullName}/{m.Name}", m.InputType.Parser)))
            .ToFrozenDictionary(p => p.Item1, p => p.Parser, StringComparer.Ordinal);
    }
}
