using System.Security.Claims;
using Grpc.Core;

namespace RealName.Gateway.Services;

internal static class Caller
{
    /// <summary>The authenticated caller's name (its API key's name), recorded as the actor.</summary>
    public static string Name(ServerCallContext context) =>
        context.GetHttpContext().User.FindFirstValue(ClaimTypes.Name) ?? "unknown";
}
