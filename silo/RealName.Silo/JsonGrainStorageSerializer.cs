using System.Text.Json;
using System.Text.Json.Serialization;
using Orleans.Storage;
using RealName.Storage.Sealing;

namespace RealName.Silo;

/// <summary>
/// Grain state is stored as System.Text.Json documents, independent of Orleans' binary wire format across
/// upgrades, and sealed (<see cref="Sealer"/>): grain state holds face templates and masked personal
/// fields, so a database dump shows none of it. State written before sealing existed is read as clear JSON
/// and sealed on its next write.
/// </summary>
public sealed class JsonGrainStorageSerializer(Sealer sealer) : IGrainStorageSerializer
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.General)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public BinaryData Serialize<T>(T? input) => BinaryData.FromBytes(sealer.Seal(ToJson(input)));

    public T Deserialize<T>(BinaryData input) => FromJson<T>(sealer.Open(input.ToMemory().Span));

    /// <summary>The clear JSON form (what is sealed).</summary>
    public static byte[] ToJson<T>(T? input) => JsonSerializer.SerializeToUtf8Bytes(input, Options);

    public static T FromJson<T>(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize<T>(json, Options)
        ?? throw new JsonException($"Stored state of type {typeof(T).Name} deserialised to null.");
}
