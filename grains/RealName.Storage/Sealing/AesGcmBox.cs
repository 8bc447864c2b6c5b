using System.Security.Cryptography;

namespace RealName.Storage.Sealing;

/// <summary>AES-256-GCM with a random 96-bit nonce: output is nonce | tag | ciphertext.</summary>
internal static class AesGcmBox
{
    public const int NonceSize = 12;
    public const int TagSize = 16;
    public const int Overhead = NonceSize + TagSize;

    public static void Encrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData, Span<byte> destination)
    {
        var nonce = destination[..NonceSize];
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, plaintext, destination.Slice(Overhead, plaintext.Length), destination.Slice(NonceSize, TagSize), associatedData);
    }

    public static byte[] Encrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData)
    {
        var box = new byte[Overhead + plaintext.Length];
        Encrypt(key, plaintext, associatedData, box);
        return box;
    }

    public static byte[] Decrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> box, ReadOnlySpan<byte> associatedData)
    {
        if (box.Length < Overhead)
        {
            throw new SealedDataException("A sealed value is shorter than its nonce and tag.");
        }

        var plaintext = new byte[box.Length - Overhead];
        using var aes = new AesGcm(key, TagSize);
        try
        {
            aes.Decrypt(box[..NonceSize], box[Overhead..], box.Slice(NonceSize, TagSize), plaintext, associatedData);
        }
        catch (AuthenticationTagMismatchException ex)
        {
            throw new SealedDataException("A sealed value failed authentication: it was altered, or sealed under another key.", ex);
        }

        return plaintext;
    }
}

/// <summary>A sealed value cannot be opened (unknown data key, altered bytes, wrong master key).</summary>
public sealed class SealedDataException : Exception
{
    public SealedDataException()
    {
    }

    public SealedDataException(string message) : base(message)
    {
    }

    public SealedDataException(string message, Exception inner) : base(message, inner)
    {
    }
}
