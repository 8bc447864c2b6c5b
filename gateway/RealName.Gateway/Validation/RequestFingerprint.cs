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
        using var sha = SHA256.Create();
        // Protobuf writes straight into the hash (nothing kept), so a megabyte of photos is not copied once more.
        using (var hashing = new CryptoStream(Stream.Null, sha, CryptoStreamMode.Write))
        {
            request.WriteTo(hashing);
        }

        return Convert.ToHexStringLower(sha.Hash!);
    }
}
