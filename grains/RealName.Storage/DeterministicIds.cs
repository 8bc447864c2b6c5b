using System.Security.Cryptography;
using System.Text;

namespace RealName.Storage;

/// <summary>
/// Ids derived from what identifies a request, so a retried request maps to the same audit event and
/// review case (and so is recorded once).
/// </summary>
public static class DeterministicIds
{
    public static Guid From(params string[] parts)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001F', parts)));
        var bytes = hash.AsSpan(0, 16).ToArray();
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x50); // version 5-style marker
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(bytes);
    }
}
