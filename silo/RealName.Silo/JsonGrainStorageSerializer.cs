using System.Text.Json;
using System.Text.Json.Serialization;
using Orleans.Storage;

namespace RealName.Silo;

/// <summary>
/// Grain state is stored as System.Text.Json documents: readable in the database by operators and
/// auditors, and independent of Orleans' binary wire format across upgrades.
/// </summary>
public sealed class JsonGrainStorageSerializer : IGrainStorageSerializer
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.General)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public BinaryData Serialize<T>(T? input) => BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(input, Options));

    public T Deserialize<T>(BinaryData input) =>
        JsonSerializer.Deserialize<T>(input.ToMemory().Span, Options)
        ?? throw new JsonException($"Stored state of type {typeof(T).Name} deserialised to null.");
}
