using System.Text.Json.Serialization;

namespace RealName.Cli.Bench;

/// <summary>
/// One round of the faces goal measured in pairs: the face engine alone, then the grid at the peak's calls in flight,
/// back to back. On a machine whose cores change speed within minutes, the two halves of a round see nearly the same
/// cores, where a baseline taken before and after a whole sweep does not.
/// </summary>
internal sealed record PairedRound(
    [property: JsonPropertyName("engine_per_s")] double EnginePerSecond,
    [property: JsonPropertyName("grid_per_s")] double GridPerSecond)
{
    [JsonPropertyName("ratio")]
    public double Ratio => EnginePerSecond > 0 ? Math.Round(GridPerSecond / EnginePerSecond, 3) : 0;

    /// <summary>The median of the rounds' ratios: one round that met a burst of the machine's drift does not decide it.</summary>
    public static double? MedianRatio(IReadOnlyList<PairedRound> rounds)
    {
        if (rounds.Count == 0)
        {
            return null;
        }

        var ratios = rounds.Select(r => r.Ratio).Order().ToList();
        var middle = ratios.Count / 2;
        return Math.Round(ratios.Count % 2 == 1 ? ratios[middle] : (ratios[middle - 1] + ratios[middle]) / 2, 3);
    }
}
