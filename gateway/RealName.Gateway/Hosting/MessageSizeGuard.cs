using System.Buffers;
using System.Buffers.Binary;
using Grpc.Core;
using Microsoft.Extensions.Options;
using RealName.Gateway.Errors;

namespace RealName.Gateway.Hosting;

/// <summary>How large one request may be, bound from configuration section "Requests".</summary>
public sealed class RequestLimitOptions
{
    public const string Section = "Requests";

    /// <summary>Largest gRPC request message in bytes (all images of a registration together).</summary>
    public int MaxMessageBytes { get; set; } = 16 * 1024 * 1024;
}

/// <summary>
/// Reads the length prefix of a gRPC request's first message before any handler runs and refuses a
/// message over <see cref="RequestLimitOptions.MaxMessageBytes"/> with RESOURCE_EXHAUSTED
/// (reason REQUEST_TOO_LARGE) without reading its body. Without it, a body over Kestrel's own limit failed
/// inside the handler and reached the client as UNKNOWN.
/// </summary>
public sealed class MessageSizeGuard(RequestDelegate next, IOptions<RequestLimitOptions> options)
{
    public const string Reason = "REQUEST_TOO_LARGE";
    private const int PrefixLength = 5; // 1 byte compressed flag, 4 bytes big-endian message length

    public async Task InvokeAsync(HttpContext context)
    {
        if (!TrailersOnlyResponse.IsGrpc(context.Request))
        {
            await next(context);
            return;
        }

        var reader = context.Request.BodyReader;
        var read = await reader.ReadAtLeastAsync(PrefixLength, context.RequestAborted);
        var declared = DeclaredLength(read.Buffer);
        // Consume nothing: the gRPC handler reads the same bytes again.
        reader.AdvanceTo(read.Buffer.Start);

        var limit = options.Value.MaxMessageBytes;
        if (declared > limit)
        {
            var metadata = new Dictionary<string, string>
            {
                ["limit_bytes"] = limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["declared_bytes"] = declared.ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            await TrailersOnlyResponse.WriteAsync(context.Response, GrpcErrors.Status(
                Google.Rpc.Code.ResourceExhausted, Reason, $"The request message is {declared} bytes; at most {limit} are accepted (images at most 15 MB each).", metadata));
            return;
        }

        await next(context);
    }

    private static long DeclaredLength(ReadOnlySequence<byte> buffer)
    {
        if (buffer.Length < PrefixLength)
        {
            return 0;
        }

        Span<byte> prefix = stackalloc byte[PrefixLength];
        buffer.Slice(0, PrefixLength).CopyTo(prefix);
        return BinaryPrimitives.ReadUInt32BigEndian(prefix[1..]);
    }
}

/// <summary>Registration of the request limits.</summary>
public static class RequestLimits
{
    /// <summary>Room for the gRPC length prefix above the largest message.</summary>
    private const int FrameOverheadBytes = 1024;

    public static IServiceCollection AddRequestLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RequestLimitOptions>()
            .Bind(configuration.GetSection(RequestLimitOptions.Section))
            .Validate(o => o.MaxMessageBytes is >= 64 * 1024 and <= 64 * 1024 * 1024, "Requests:MaxMessageBytes must be between 65536 and 67108864")
            .ValidateOnStart();
        // gRPC's and Kestrel's own limits stay as a second line; the guard answers first, with its reason.
        services.AddOptions<Grpc.AspNetCore.Server.GrpcServiceOptions>()
            .Configure<IOptions<RequestLimitOptions>>((grpc, limits) => grpc.MaxReceiveMessageSize = limits.Value.MaxMessageBytes);
        services.AddOptions<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>()
            .Configure<IOptions<RequestLimitOptions>>((kestrel, limits) => kestrel.Limits.MaxRequestBodySize = limits.Value.MaxMessageBytes + FrameOverheadBytes);
        return services;
    }
}
