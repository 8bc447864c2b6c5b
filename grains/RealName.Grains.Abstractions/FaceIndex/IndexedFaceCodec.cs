using System.Runtime.InteropServices;
using System.Text.Json;

namespace RealName.Grains.FaceIndex;

/// <summary>
/// The clear form of a face_templates row before it is sealed: a 4-byte length, the owner as JSON, then the
/// embedding as little-endian floats (compact, and loaded straight into the shard's matrix).
/// </summary>
public static class IndexedFaceCodec
{
    public static byte[] Encode(IndexedFace face)
    {
        var owner = JsonSerializer.SerializeToUtf8Bytes(face.Owner);
        var floats = MemoryMarshal.AsBytes(face.Embedding.AsSpan());
        var payload = new byte[sizeof(int) + owner.Length + floats.Length];
        BitConverter.TryWriteBytes(payload, owner.Length);
        owner.CopyTo(payload, sizeof(int));
        floats.CopyTo(payload.AsSpan(sizeof(int) + owner.Length));
        return payload;
    }

    public static IndexedFace Decode(string templateId, string modelVersion, ReadOnlySpan<byte> payload)
    {
        var ownerLength = BitConverter.ToInt32(payload);
        var owner = JsonSerializer.Deserialize<FaceOwner>(payload.Slice(sizeof(int), ownerLength))
            ?? throw new InvalidDataException($"Face template {templateId} has no owner.");
        var embedding = MemoryMarshal.Cast<byte, float>(payload[(sizeof(int) + ownerLength)..]).ToArray();
        return new IndexedFace(templateId, embedding, modelVersion, owner);
    }
}
