using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using RealName.Contracts.V1;
using RealName.Gateway.Hosting;

namespace RealName.UnitTests.Errors;

/// <summary>
/// The request guard copies a gRPC message out of the body as it arrives, checks it, and hands the handler that
/// copy: a photo-sized message arriving in small pieces reaches the handler byte for byte, however the copy grows; a
/// body that is not exactly one message is answered INVALID_ARGUMENT / MALFORMED_REQUEST before the handler.
/// </summary>
public sealed class RequestMessageGuardTests
{
    private const string Path = "/realname.v1.RegistrationService/ReVerifySubscriber";

    [Theory]
    [InlineData(300)]              // fits the first buffer
    [InlineData(1_300_000)]        // grows it several times, as a registration's photos do
    public async Task The_handler_reads_the_same_bytes_the_client_sent(int photoBytes)
    {
        var photo = new byte[photoBytes];
        new Random(photoBytes).NextBytes(photo);
        var message = new ReVerifySubscriberRequest { PhoneNumber = "13800138000", RequestId = "re-verify-0001", LiveImage = ByteString.CopyFrom(photo) };
        var sent = Framed(message.ToByteArray());
        byte[]? received = null;
        var guard = Guard(async c =>
        {
            using var copy = new MemoryStream();
            await c.Request.Body.CopyToAsync(copy);
            received = copy.ToArray();
        });

        await guard.InvokeAsync(Request(sent));

        Assert.Equal(sent, received);
        Assert.Equal(photo, ReVerifySubscriberRequest.Parser.ParseFrom(received.AsSpan(5).ToArray()).LiveImage.ToByteArray());
    }

    [Fact]
    public async Task A_message_that_does_not_parse_is_refused_before_the_handler()
    {
        var handled = false;
        var guard = Guard(_ =>
        {
            handled = true;
            return Task.CompletedTask;
        });
        var context = Request(Framed([0x0A, 0xFF, 0xFF, 0xFF, 0x0F, 0x01]));   // a string field claiming 4 GB

        await guard.InvokeAsync(context);

        Assert.False(handled);
        Assert.Equal("3", context.Response.Headers["grpc-status"].ToString());
    }

    public static TheoryData<string, byte[]> NotOneMessage => new()
    {
        { "declares 16 MB, sends 13 bytes", [0x00, 0x00, 0xFF, 0xFF, 0xF0, 0x0A, 0x0B, .. "13800138000"u8] },
        { "a message, then 70,000 more bytes", [.. Framed([0x0A, 0x0B, .. "13800138000"u8]), .. new byte[70_000]] },
        { "a prefix cut off", [0x00, 0x00, 0x00] },
        { "no body at all", [] },
    };

    [Theory]
    [MemberData(nameof(NotOneMessage))]
    public async Task A_body_that_is_not_exactly_one_message_is_malformed_not_an_internal_error(string body, byte[] bytes)
    {
        var handled = false;
        var guard = Guard(_ =>
        {
            handled = true;
            return Task.CompletedTask;
        });
        var context = Request(bytes);

        await guard.InvokeAsync(context);

        Assert.False(handled, body);
        Assert.Equal("3", context.Response.Headers["grpc-status"].ToString());
        Assert.Equal("MALFORMED_REQUEST", TrailersOnlyAnswer.Reason(context));
    }

    [Fact]
    public async Task A_gzip_compressed_message_is_checked_decompressed_and_handed_on_as_sent()
    {
        var message = new ReVerifySubscriberRequest { PhoneNumber = "13800138000", RequestId = "re-verify-0002", LiveImage = ByteString.CopyFrom(new byte[200_000]) };
        var sent = Framed(Gzip(message.ToByteArray()), compressed: true);
        byte[]? received = null;
        var guard = Guard(async c =>
        {
            using var copy = new MemoryStream();
            await c.Request.Body.CopyToAsync(copy);
            received = copy.ToArray();
        });
        var context = Request(sent);
        context.Request.Headers["grpc-encoding"] = "gzip";

        await guard.InvokeAsync(context);

        Assert.Equal(sent, received);
    }

    public static TheoryData<string, string?, byte[], string> BadCompressedMessages => new()
    {
        { "compressed, no grpc-encoding", null, Gzip([0x0A, 0x01, 0x31]), "MALFORMED_REQUEST" },
        { "compressed, identity", "identity", Gzip([0x0A, 0x01, 0x31]), "MALFORMED_REQUEST" },
        { "gzip declared, not gzip", "gzip", [0x0A, 0x0B, .. "13800138000"u8], "MALFORMED_REQUEST" },
        { "gzip of a message that does not parse", "gzip", Gzip([0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F]), "MALFORMED_REQUEST" },
        { "20 KB that decompress to 20 MB", "gzip", Gzip(new byte[20 * 1024 * 1024]), "REQUEST_TOO_LARGE" },
    };

    [Theory]
    [MemberData(nameof(BadCompressedMessages))]
    public async Task A_compressed_message_that_cannot_be_read_gets_its_reason_before_the_handler(string what, string? encoding, byte[] payload, string reason)
    {
        var handled = false;
        var guard = Guard(_ =>
        {
            handled = true;
            return Task.CompletedTask;
        });
        var context = Request(Framed(payload, compressed: true));
        if (encoding is not null)
        {
            context.Request.Headers["grpc-encoding"] = encoding;
        }

        await guard.InvokeAsync(context);

        Assert.False(handled, what);
        Assert.Equal(reason, TrailersOnlyAnswer.Reason(context));
    }

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(output, System.IO.Compression.CompressionLevel.Optimal))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    private static RequestMessageGuard Guard(RequestDelegate next) =>
        new(next, Options.Create(new RequestLimitOptions()));

    private static DefaultHttpContext Request(byte[] body)
    {
        var context = new DefaultHttpContext();
        context.Request.ContentType = "application/grpc";
        context.Request.Path = Path;
        context.Request.Body = new TrickleStream(body, 16 * 1024);
        context.Response.Body = new MemoryStream();
        return context;
    }

    private static byte[] Framed(byte[] message, bool compressed = false)
    {
        var framed = new byte[5 + message.Length];
        framed[0] = compressed ? (byte)1 : (byte)0;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(framed.AsSpan(1), (uint)message.Length);
        message.CopyTo(framed, 5);
        return framed;
    }

    /// <summary>A body that arrives at most <c>piece</c> bytes per read, as over a network.</summary>
    private sealed class TrickleStream(byte[] data, int piece) : MemoryStream(data, writable: false)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, piece));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, piece)], cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            base.ReadAsync(buffer, offset, Math.Min(count, piece), cancellationToken);
    }
}
