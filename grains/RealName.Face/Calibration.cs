using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace RealName.Face;

/// <summary>Score thresholds measured on impostor pairs for one model version (one entry of calibration.json).</summary>
public sealed class CalibrationEntry
{
    /// <summary>Score at which the false-accept rate is at most 1e-3 (pooled impostor pairs).</summary>
    [JsonPropertyName("far_1e-3")]
    public double Far1e3 { get; set; }

    /// <summary>Score at which the false-accept rate is at most 1e-4 (pooled impostor pairs).</summary>
    [JsonPropertyName("far_1e-4")]
    public double Far1e4 { get; set; }

    /// <summary>
    /// Score at which the false-match rate is at most 1e-5 (pooled impostor pairs): the 1:N search threshold, where
    /// one probe meets every enrolled face, so the per-pair rate must be far below the 1:1 one.
    /// </summary>
    [JsonPropertyName("far_1e-5")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Far1e5 { get; set; }

    [JsonPropertyName("impostor_pairs")]
    public long ImpostorPairs { get; set; }

    /// <summary>Same-identity pairs (clean photos) the genuine figures rest on.</summary>
    [JsonPropertyName("genuine_pairs")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? GenuinePairs { get; set; }

    /// <summary>Share of those genuine pairs scoring at or above <see cref="Far1e5"/> (what a 1:N search finds).</summary>
    [JsonPropertyName("tar_at_far_1e-5")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? TarAt1e5 { get; set; }

    /// <summary>How many impostor pairs score at or above each threshold's neighbour (what the figure rests on).</summary>
    [JsonPropertyName("impostors_above_far_1e-3")]
    public long ImpostorsAbove1e3 { get; set; }

    [JsonPropertyName("impostors_above_far_1e-4")]
    public long ImpostorsAbove1e4 { get; set; }

    [JsonPropertyName("impostors_above_far_1e-5")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? ImpostorsAbove1e5 { get; set; }

    [JsonPropertyName("max_impostor")]
    public double MaxImpostor { get; set; }

    /// <summary>Clean-only figures (both images as photographed).</summary>
    [JsonPropertyName("clean")]
    public CalibrationSet? Clean { get; set; }

    /// <summary>Chip-simulated document vs clean photo (the product's condition for 102x126 chip portraits).</summary>
    [JsonPropertyName("chip")]
    public CalibrationSet? Chip { get; set; }

    [JsonPropertyName("rejected_images")]
    public int RejectedImages { get; set; }

    [JsonPropertyName("sets")]
    public Dictionary<string, CalibrationSet> Sets { get; init; } = [];

    [JsonPropertyName("date")]
    public string Date { get; set; } = "";

    [JsonPropertyName("command")]
    public string Command { get; set; } = "";
}

/// <summary>Per-data-set calibration figures.</summary>
public sealed class CalibrationSet
{
    [JsonPropertyName("images")]
    public int Images { get; set; }

    [JsonPropertyName("impostor_pairs")]
    public long ImpostorPairs { get; set; }

    [JsonPropertyName("far_1e-3")]
    public double Far1e3 { get; set; }

    [JsonPropertyName("far_1e-4")]
    public double Far1e4 { get; set; }

    [JsonPropertyName("max_impostor")]
    public double MaxImpostor { get; set; }
}

/// <summary>The calibration file: model version -&gt; thresholds.</summary>
public sealed class CalibrationFile
{
    [JsonPropertyName("description")]
    public string Description { get; set; } =
        "Cosine-score thresholds at false-accept rates 1e-3 and 1e-4, from all cross-identity impostor pairs of the shared face sets. Written by `realname face calibrate`.";

    [JsonPropertyName("models")]
    public Dictionary<string, CalibrationEntry> Models { get; init; } = [];

    /// <summary>
    /// The evidence behind each quality gate's default (<see cref="FaceGateOptions"/>): genuine-pair bins and degradation
    /// sweeps from `realname face eval`, with the pairs they rest on. Kept as written; `calibrate` does not touch it.
    /// </summary>
    [JsonPropertyName("gates")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public System.Text.Json.Nodes.JsonObject? Gates { get; set; }

    public static JsonSerializerOptions JsonOptions { get; } = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static CalibrationFile Load(string path) =>
        JsonSerializer.Deserialize<CalibrationFile>(File.ReadAllText(path), JsonOptions) ?? new CalibrationFile();

    public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, JsonOptions) + "\n");

    /// <summary>Resolves a calibration file path: absolute as is, else relative to the app directory.</summary>
    public static string ResolvePath(string configured) =>
        Path.IsPathRooted(configured) ? configured : Path.Combine(AppContext.BaseDirectory, configured);
}

/// <summary>Turns a score into a decision.</summary>
public static class FaceDecider
{
    /// <summary>Thresholds for a model version: explicit options first, else the calibration file.</summary>
    public static DecisionThresholds Resolve(FaceDecisionOptions options, CalibrationFile? calibration, string modelVersion)
    {
        if (options.MatchThreshold is { } m && options.ReviewThreshold is { } r)
        {
            return new DecisionThresholds(m, Math.Min(r, m), "configuration") { Search = Math.Max(options.SearchThreshold ?? m, m) };
        }

        if (calibration is null || !calibration.Models.TryGetValue(modelVersion, out var entry))
        {
            throw new FaceModelException(
                $"No calibration for model version '{modelVersion}' in {options.CalibrationFile}. Run `realname face calibrate` or set Face:Decision:MatchThreshold and Face:Decision:ReviewThreshold.");
        }

        var match = options.MatchThreshold ?? Pick(entry, options.MatchAtFar);
        var review = options.ReviewThreshold ?? Pick(entry, options.ReviewAtFar);
        var search = options.SearchThreshold ?? Pick(entry, options.SearchAtFar);
        return new DecisionThresholds(match, Math.Min(review, match),
            $"calibration: MATCH at FAR {options.MatchAtFar}, REVIEW at FAR {options.ReviewAtFar}, 1:N search at FAR {options.SearchAtFar} ({entry.ImpostorPairs} impostor pairs, {entry.Date})")
        {
            Search = Math.Max(search, match),
        };
    }

    private static double Pick(CalibrationEntry e, string far) => far switch
    {
        "1e-3" => e.Far1e3,
        "1e-4" => e.Far1e4,
        // A model calibrated before the 1:N search: no impostor pair of the sets scored above its highest one.
        "1e-5" => e.Far1e5 ?? e.MaxImpostor,
        _ => throw new FaceModelException($"Unsupported FAR '{far}' (use 1e-3, 1e-4 or 1e-5)."),
    };

    public static FaceDecision Decide(double score, DecisionThresholds t) =>
        score >= t.Match ? FaceDecision.MATCH : score >= t.Review ? FaceDecision.REVIEW : FaceDecision.NO_MATCH;

    /// <summary>Cosine similarity of two L2-normalised embeddings.</summary>
    public static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(a.Length, b.Length);
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }

        return na <= 0 || nb <= 0 ? 0 : dot / Math.Sqrt(na * nb);
    }
}
