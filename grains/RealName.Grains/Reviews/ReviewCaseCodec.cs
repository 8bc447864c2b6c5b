using System.Text.Json;
using System.Text.Json.Serialization;

namespace RealName.Grains.Reviews;

/// <summary>The clear form of a review_cases row before it is sealed: the case as JSON, enums by name.</summary>
public static class ReviewCaseCodec
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.General)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static byte[] Encode(ReviewCase reviewCase) => JsonSerializer.SerializeToUtf8Bytes(reviewCase, Options);

    public static ReviewCase Decode(byte[] payload) =>
        JsonSerializer.Deserialize<ReviewCase>(payload, Options) ?? throw new InvalidDataException("A stored review case deserialised to null.");
}
