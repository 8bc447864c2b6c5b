using System.IO.Compression;
using RealName.Rules;

namespace RealName.Gateway.Hosting;

/// <summary>
/// A request message whose gRPC compressed flag is set, undone as its <c>grpc-encoding</c> header says, so the request
/// guard can check it like any other: gzip and deflate (zlib), the encodings the gateway accepts. gRPC's own handler
/// answered a compressed message without an encoding with INTERNAL, and one that does not decompress with UNKNOWN.
/// </summary>
public static class RequestCompression
{
    /// <summary>The message, or why it cannot be read (<c>Reason</c> is null for an encoding gRPC itself refuses).</summary>
    public readonly record struct Inflated(byte[]? Message, ReasonCode? Reason, string? Problem);

    public static Inflated Inflate(string? encoding, ArraySegment<byte> compressed, int limit)
    {
        if (string.IsNullOrEmpty(encoding) || encoding == "identity")
        {
            return new(null, ReasonCode.MalformedRequest,
                $"The request message is marked compressed, but its grpc-encoding is '{(string.IsNullOrEmpty(encoding) ? "(none)" : encoding)}'.");
        }

        if (encoding is not ("gzip" or "deflate"))
        {
            return new(null, null, null); // gRPC answers UNIMPLEMENTED and lists the encodings it accepts
        }

        using var source = new MemoryStream(compressed.Array!, compressed.Offset, compressed.Count, writable: false);
        using Stream inflater = encoding == "gzip"
            ? new GZipStream(source, CompressionMode.Decompress)
            : new ZLibStream(source, CompressionMode.Decompress);

        try
        {
            using var message = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = inflater.Read(chunk)) > 0)
            {
                message.Write(chunk, 0, read);
                if (message.Length > limit)
                {
                    return new(null, ReasonCode.RequestTooLarge, $"The request message decompresses to more than {limit} bytes.");
                }
            }

            return new(message.ToArray(), null, null);
        }
        catch (InvalidDataException ex)
        {
            return new(null, ReasonCode.MalformedRequest, $"The request message does not decompress as {encoding} ({ex.Message}).");
        }
    }
}
