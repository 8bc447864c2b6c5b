namespace RealName.Storage.Sealing;

/// <summary>
/// Seals personal data at rest: "RNS1" | data key id (16 bytes) | AES-256-GCM nonce | tag | ciphertext,
/// with the header as associated data. A value without the header is legacy clear data, read as it is
/// and sealed on its next write (or by `realname keys rotate`).
/// </summary>
public sealed class Sealer(DataKeyRing keys)
{
    private const int HeaderSize = 4 + 16;

    private static ReadOnlySpan<byte> Magic => "RNS1"u8;

    public static bool IsSealed(ReadOnlySpan<byte> value) => value.Length >= HeaderSize + AesGcmBox.Overhead && value.StartsWith(Magic);

    /// <summary>The data key a sealed value names.</summary>
    public static Guid KeyIdOf(ReadOnlySpan<byte> sealedValue) =>
        IsSealed(sealedValue) ? new Guid(sealedValue[Magic.Length..HeaderSize]) : Guid.Empty;

    public byte[] Seal(ReadOnlySpan<byte> plaintext)
    {
        var (id, key) = keys.Active;
        var sealedValue = new byte[HeaderSize + AesGcmBox.Overhead + plaintext.Length];
        Magic.CopyTo(sealedValue);
        id.TryWriteBytes(sealedValue.AsSpan(Magic.Length, 16));
        AesGcmBox.Encrypt(key, plaintext, sealedValue.AsSpan(0, HeaderSize), sealedValue.AsSpan(HeaderSize));
        return sealedValue;
    }

    /// <summary>The clear bytes of a sealed value; a legacy clear value comes back as it is.</summary>
    public byte[] Open(ReadOnlySpan<byte> value)
    {
        if (!IsSealed(value))
        {
            return value.ToArray();
        }

        var key = keys.Get(KeyIdOf(value));
        return AesGcmBox.Decrypt(key, value[HeaderSize..], value[..HeaderSize]);
    }
}
