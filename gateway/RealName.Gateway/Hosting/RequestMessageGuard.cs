using System.Buffers;
using System.Buffers.Binary;
using Microsoft.Extensions.Options;
using RealName.Rules;

namespace RealName.Gateway.Hosting;

/// <summary>How large one request may be, bound from configuration section "Requests".</summary>
public sealed class RequestLimitOptions
{
    public const string Section = "Requests";

    /// <summary>Largest gRPC request message in bytes (all images of a registration together).</summary>
    public int MaxMessageBytes { get; set; } = 16 * 1024 * 1024;
}

/// <summary>
/// Checks a gRPC request's message before any handler runs, so what the handler would fail on gets a
/// clear status instead of UNKNOWN ("Exception was thrown by handler"): a message over
/// <see cref="RequestLimitOptions.MaxMessageBytes"/> is refused from its length prefix, without reading
/// its body (RESOURCE_EXHAUSTED, reason REQUEST_TOO_LARGE); a body that is not exactly one message of the
/// method's request type (cut short, more bytes after it, or not parsing) is INVALID_ARGUMENT, reason
/// MALFORMED_REQUEST; a compressed message is checked once decompressed (<see cref="RequestCompression"/>).
/// The handler reads the guard's copy of the body.
/// </summary>
public sealed class RequestMessageGuard(RequestDelegate next, IOptions<RequestLimitOptions> options)
{
    private const int PrefixLength = 5; // 1 byte compressed flag, 4 bytes big-endian message length

    public async Task InvokeAsync(HttpContext context)
    {
        if (!TrailersOnlyResponse.IsGrpc(context.Request) && RequestParsers.For(context.Request.Path) is not null)
        {
            // gRPC itself answers HTTP 415 with grpc-status INTERNAL; the client sent the wrong thing, so it is told so
            // (HTTP 415 as the gRPC protocol asks, with the status and reason a gRPC client reads).
            await TrailersOnlyResponse.WriteAsync(context.Response, GrpcErrors.Status(ReasonCode.UnsupportedContentType,
                "Unsupported content type: gRPC calls send application/grpc (or application/grpc+proto)."));
            context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return;
        }

        if (!TrailersOnlyResponse.IsGrpc(context.Request) || RequestParsers.For(context.Request.Path) is not { } parser)
        {
            // Not a method of our contract (reflection, health): left to gRPC untouched. Their streams stay open
            // between messages; reading a byte of one here would start Kestrel's minimum request body data rate
            // before gRPC turns it off for streaming calls, and after five idle seconds Kestrel would fault the
            // whole HTTP/2 connection, with every call on it (buf curl keeps its reflection stream open so).
            await next(context);
            return;
        }

        var limit = options.Value.MaxMessageBytes;
        if (context.Request.ContentLength > PrefixLength + limit)
        {
            // A client that declares the body's length (buf curl does) is refused before Kestrel's own
            // body limit answers it with a bare HTTP 413, which gRPC clients report as UNKNOWN.
            await RefuseTooLargeAsync(context, context.Request.ContentLength.Value - PrefixLength, limit);
            return;
        }

        var reader = context.Request.BodyReader;
        var read = await reader.ReadAtLeastAsync(PrefixLength, context.RequestAborted);
        var declared = DeclaredLength(read.Buffer);
        var compressed = read.Buffer.Length > 0 && read.Buffer.FirstSpan[0] != 0;
        // Consume nothing yet: below, the body is either left to the handler or replaced by its own copy.
        reader.AdvanceTo(read.Buffer.Start);
        if (declared > limit)
        {
            await RefuseTooLargeAsync(context, declared, limit);
            return;
        }

        // Copy the body out as it arrives (consuming it keeps HTTP/2 flow control moving), check it,
        // and give the handler the copy to read.
        var body = await ReadBodyAsync(reader, PrefixLength + limit, context.RequestAborted);
        if (body is not { } copy)
        {
            await next(context);
            return;
        }

        try
        {
            var encoding = compressed ? context.Request.Headers["grpc-encoding"].ToString() : null;
            if (Problem(parser, copy, declared, encoding, limit) is { } problem)
            {
                await TrailersOnlyResponse.WriteAsync(context.Response, GrpcErrors.Status(problem.Reason, problem.Message,
                    problem.Reason == ReasonCode.RequestTooLarge ? new Dictionary<string, string> { ["limit_bytes"] = Invariant(limit) } : null));
                return;
            }

            context.Request.Body = new MemoryStream(copy.Array!, 0, copy.Count, writable: false);
            await next(context);
        }
        finally
        {
            // The handler has parsed its message out of the copy (protobuf copies the bytes it keeps).
            ArrayPool<byte>.Shared.Return(copy.Array!);
        }
    }

    private static Task RefuseTooLargeAsync(HttpContext context, long declared, int limit)
    {
        var metadata = new Dictionary<string, string>
        {
            ["limit_bytes"] = Invariant(limit),
            ["declared_bytes"] = declared.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        return TrailersOnlyResponse.WriteAsync(context.Response, GrpcErrors.Status(
            ReasonCode.RequestTooLarge, $"The request message is {declared} bytes; at most {limit} are accepted (images at most 15 MB each).", metadata));
    }

    /// <summary>
    /// The whole body in a buffer rented from the shared pool (returned by the caller), or null when it is longer than
    /// <paramref name="max"/> (the handler then refuses it). A registration's photos are a megabyte: growing a new
    /// buffer to that size and copying it out allocated five large objects per request, each left for a full
    /// (background) collection of the gateway's heap. The buffer grows as the bytes arrive, not to what the prefix
    /// declares, so a short body cannot make the gateway set aside the largest message.
    /// </summary>
    private static async Task<ArraySegment<byte>?> ReadBodyAsync(System.IO.Pipelines.PipeReader reader, long max, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        var filled = 0;
        try
        {
            while (true)
            {
                var read = await reader.ReadAsync(cancellationToken);
                if (filled + read.Buffer.Length > max + PrefixLength)
                {
                    reader.AdvanceTo(read.Buffer.End);
                    ArrayPool<byte>.Shared.Return(buffer);
                    return null;
                }

                if (filled + read.Buffer.Length > buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Max(filled + read.Buffer.Length, 2L * buffer.Length));
                    buffer.AsSpan(0, filled).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                read.Buffer.CopyTo(buffer.AsSpan(filled));
                filled += (int)read.Buffer.Length;
                reader.AdvanceTo(read.Buffer.End);
                if (read.IsCompleted)
                {
                    return new ArraySegment<byte>(buffer, 0, filled);
                }
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    /// <summary>
    /// Null when the body is one whole message of the method's request type, else what is wrong with it. Every method
    /// of our contract takes one message, so a body cut short of what its prefix declares, or with more after it, is
    /// malformed: gRPC's own handler answered both with INTERNAL. A compressed message (<paramref name="encoding"/> not
    /// null) is checked once decompressed.
    /// </summary>
    private static (ReasonCode Reason, string Message)? Problem(
        Google.Protobuf.MessageParser parser, ArraySegment<byte> body, long declared, string? encoding, int limit)
    {
        if (body.Count < PrefixLength + declared)
        {
            return (ReasonCode.MalformedRequest, $"The request body ends after {body.Count} bytes; its gRPC length prefix declares a message of {declared} bytes.");
        }

        if (body.Count > PrefixLength + declared)
        {
            return (ReasonCode.MalformedRequest, $"The request body holds {body.Count - PrefixLength - declared} more bytes after its one message; each method takes a single request message.");
        }

        var message = body.Slice(PrefixLength, (int)declared);
        if (encoding is not null)
        {
            var inflated = RequestCompression.Inflate(encoding, message, limit);
            if (inflated.Reason is { } reason)
            {
                return (reason, inflated.Problem!);
            }

            if (inflated.Message is null)
            {
                return null; // an encoding gRPC refuses itself
            }

            message = inflated.Message;
        }

        try
        {
            parser.ParseFrom(message.Array!, message.Offset, message.Count);
            return null;
        }
        catch (Google.Protobuf.InvalidProtocolBufferException ex)
        {
            return (ReasonCode.MalformedRequest, $"The request message is not a valid protobuf message of the method's request type ({ex.Message})");
        }
    }

    private static string Invariant(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

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
