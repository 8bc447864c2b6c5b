using System.Security.Cryptography;
using Google.Protobuf;

namespace RealName.Gateway.Validation;

/// <summary>
/// A digest of a request as the caller sent it (its protobuf encoding as parsed, images included), which the number's
/// grain remembers with the idempotency key or request id: a retry under the same key is a replay only when its digest
/// matches, so a changed request is refused as REQUEST_CONFLICT instead of being answered with the first one's outcome.
/// </summary>
public static class RequestFingerprint
{
    public static string Of(IMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using (var stream = new HashingStream(hash))
        {
            request.WriteTo(stream);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>Feeds what protobuf writes straight into the hash, so a megabyte of photos is not copied once more.</summary>
    private sealed class HashingStream(IncrementalHash hash) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => hash.AppendData(buffer, offset, count);

        public override void Write(ReadOnlySpan<byte> buffer) => hash.AppendData(buffer);

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
