using Microsoft.AspNetCore.Http;

namespace RealName.UnitTests.Errors;

/// <summary>Reads the status a middleware answered a gRPC request with, from its response headers.</summary>
internal static class TrailersOnlyAnswer
{
    /// <summary>The machine-readable reason (the ErrorInfo in grpc-status-details-bin).</summary>
    public static string Reason(HttpContext context)
    {
        var encoded = context.Response.Headers["grpc-status-details-bin"].ToString();
        var status = Google.Rpc.Status.Parser.ParseFrom(Convert.FromBase64String(encoded.PadRight(encoded.Length + ((4 - (encoded.Length % 4)) % 4), '=')));
        return status.Details.Single().Unpack<Google.Rpc.ErrorInfo>().Reason;
    }
}
