using RealName.Rules;

namespace RealName.Face;

/// <summary>Failure to acquire (ISO/IEC 19795-1): share of images a gate refused, overall and per reason.</summary>
/// <param name="ByReason">Per reason: images refused with it (an image may carry several reasons).</param>
public sealed record AcquisitionFigures(int Images, int Refused, IReadOnlyDictionary<FaceRefusalReason, int> ByReason)
{
    public double Rate => Images == 0 ? 0 : (double)Refused / Images;

    public double RateOf(FaceRefusalReason reason) => Images == 0 ? 0 : (double)ByReason.GetValueOrDefault(reason) / Images;
}

/// <summary>
/// Figures at one decision threshold. FNMR / FMR are over the pairs that were scored (ISO/IEC 19795-1: a comparison
/// needs two acquired samples); FRR / FAR are per transaction, a refused genuine pair counting as falsely rejected.
/// Accuracy twice: refused pairs counted as errors (what a customer feels: a retake), and left out.
/// </summary>
public sealed record ThresholdFigures(
    double Threshold,
    int GenuineScored,
    int FalseNonMatches,
    int ImpostorScored,
    int FalseMatches,
    int RefusedGenuine,
    int RefusedImpostor)
{
    public double Fnmr => GenuineScored == 0 ? 0 : (double)FalseNonMatches / GenuineScored;

    public double Fmr => ImpostorScored == 0 ? 0 : (double)FalseMatches / ImpostorScored;

    public double Frr => (double)(FalseNonMatches + RefusedGenuine) / Math.Max(1, GenuineScored + RefusedGenuine);

    public double Far => (double)FalseMatches / Math.Max(1, ImpostorScored + RefusedImpostor);

    private int Pairs => GenuineScored + ImpostorScored + RefusedGenuine + RefusedImpostor;

    private int Correct => GenuineScored - FalseNonMatches + ImpostorScored - FalseMatches;

    public double AccuracyRefusalsAsErrors => Pairs == 0 ? 0 : (double)Correct / Pairs;

    public double AccuracyRefusalsExcluded => GenuineScored + ImpostorScored == 0 ? 0 : (double)Correct / (GenuineScored + ImpostorScored);
}

/// <summary>Computes the ISO/IEC 19795-1 style figures of an evaluation.</summary>
public static class VerificationFigures
{
    public static AcquisitionFigures Acquisition(IReadOnlyCollection<FaceTemplateResult> images)
    {
        ArgumentNullException.ThrowIfNull(images);
        var byReason = images.SelectMany(i => i.Reasons.Distinct()).GroupBy(r => r).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.Count());
        return new AcquisitionFigures(images.Count, images.Count(i => !i.Accepted), byReason);
    }

    public static ThresholdFigures At(IReadOnlyList<ScoredPair> pairs, double threshold)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var gen = pairs.Where(p => p.Same && p.Score.HasValue).ToList();
        var imp = pairs.Where(p => !p.Same && p.Score.HasValue).ToList();
        return new ThresholdFigures(threshold, gen.Count, gen.Count(p => p.Score < threshold), imp.Count, imp.Count(p => p.Score >= threshold),
            pairs.Count(p => p.Same && p.Score is null), pairs.Count(p => !p.Same && p.Score is null));
    }
}

/// <summary>One bin of genuine pairs by the quality measure of the worse image, scored with the gates off.</summary>
public sealed record QualityBin(double From, double To, int Pairs, double MeanScore, double MinScore, int BelowReview, int BelowMatch)
{
    public double FnmrAtReview => Pairs == 0 ? 0 : (double)BelowReview / Pairs;
}

/// <summary>How genuine scores behave as each gate's quality measure worsens: the evidence for the gate defaults.</summary>
public static class GateEvidence
{
    /// <summary>Measure name, worse-of-two selector, bin edges (ascending).</summary>
    public static IReadOnlyList<(string Name, Func<FaceQuality, FaceQuality, double> Worse, double[] Edges)> Measures { get; } =
    [
        ("abs_yaw", (a, b) => Math.Max(Math.Abs(a.Yaw), Math.Abs(b.Yaw)), [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1.0]),
        ("abs_roll_deg", (a, b) => Math.Max(Math.Abs(a.RollDegrees), Math.Abs(b.RollDegrees)), [0, 5, 10, 15, 20, 25, 30, 35, 45]),
        ("sharpness", (a, b) => Math.Min(a.Sharpness, b.Sharpness), [0, 2, 5, 10, 20, 40, 80, 160]),
        ("face_width_px", (a, b) => Math.Min(a.FaceWidthPx, b.FaceWidthPx), [0, 16, 20, 24, 28, 32, 36, 44, 52, 64]),
        ("brightness_min", (a, b) => Math.Min(a.Brightness, b.Brightness), [0, 20, 30, 45, 60, 80, 100]),
        ("brightness_max", (a, b) => Math.Max(a.Brightness, b.Brightness), [0, 160, 200, 225, 240, 250]),
        ("saturated_fraction_max", (a, b) => Math.Max(a.SaturatedFraction, b.SaturatedFraction), [0, 0.05, 0.15, 0.25, 0.35, 0.5, 0.75]),
    ];

    public static IReadOnlyDictionary<string, IReadOnlyList<QualityBin>> Bin(IReadOnlyList<ScoredPair> pairs, DecisionThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        ArgumentNullException.ThrowIfNull(thresholds);
        var genuine = pairs.Where(p => p.Same && p.UngatedScore.HasValue && p.QualityA is not null && p.QualityB is not null).ToList();
        var result = new Dictionary<string, IReadOnlyList<QualityBin>>(StringComparer.Ordinal);
        foreach (var (name, worse, edges) in Measures)
        {
            var bins = new List<QualityBin>();
            for (var i = 0; i < edges.Length; i++)
            {
                double from = edges[i], to = i + 1 < edges.Length ? edges[i + 1] : double.PositiveInfinity;
                var scores = genuine.Where(p => worse(p.QualityA!, p.QualityB!) is var v && v >= from && v < to).Select(p => p.UngatedScore!.Value).ToList();
                if (scores.Count > 0)
                {
                    bins.Add(new QualityBin(from, to, scores.Count, scores.Average(), scores.Min(), scores.Count(s => s < thresholds.Review),
                        scores.Count(s => s < thresholds.Match)));
                }
            }

            result[name] = bins;
        }

        return result;
    }
}
