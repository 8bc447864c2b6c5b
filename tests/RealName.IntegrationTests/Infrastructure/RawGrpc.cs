using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;

namespace RealName.IntegrationTests.Infrastructure;

/// <summary>
/// Sends arbitrary bytes as one gRPC message over HTTP/2 (no generated client, no serializer), the way a
/// broken or hostile terminal could, and reads the status the gateway answered with.
/// </summary>
public sealed class RawGrpc(Uri address, string apiKey) : IDisposable
{
    private readonly HttpClient http = new() { BaseAddress = address };

    public Task<(int Status, Google.Rpc.Status? Details)> CallAsync(string path, byte[] message)
    {
        var frame = new byte[5 + message.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)message.Length);
        message.CopyTo(frame, 5);
        return CallWithBodyAsync(path, frame);
    }

    /// <summary>Sends <paramref name="frame"/> as the whole request body, gRPC length prefix and all, as given, with <paramref name="contentType"/> (null: none).</summary>
    public async Task<(int Status, Google.Rpc.Status? Details)> CallWithBodyAsync(string path, byte[] frame, string? contentType = "application/grpc")
    {
        // HTTP/2 with prior knowledge (h2c), as gRPC clients speak to a cleartext endpoint.
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new ByteArrayContent(frame),
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Content.Headers.ContentType = contentType is null ? null : MediaTypeHeaderValue.Parse(contentType);
        request.Headers.TryAddWithoutValidation("te", "trailers");
        request.Headers.Add("x-api-key", apiKey);
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsByteArrayAsync();
        var status = Header(response, "grpc-status") ?? throw new InvalidOperationException(
            $"no grpc-status in the answer (HTTP {(int)response.StatusCode}): {System.Text.Encoding.UTF8.GetString(body[..Math.Min(body.Length, 500)])}");
        var details = Header(response, "grpc-status-details-bin") is { } encoded
            ? Google.Rpc.Status.Parser.ParseFrom(Convert.FromBase64String(encoded.PadRight(encoded.Length + ((4 - (encoded.Length % 4)) % 4), '=')))
            : null;
        return (int.Parse(status, System.Globalization.CultureInfo.InvariantCulture), details);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.TrailingHeaders.TryGetValues(name, out var trailing) ? trailing.First()
        : response.Headers.TryGetValues(name, out var leading) ? leading.First() : null;

    public void Dispose() => http.Dispose();
}
