using RealName.Face;
using Xunit.Abstractions;

namespace RealName.Face.Tests;

/// <summary>Accuracy of the default profile on the shared labelled sets, at the calibrated product threshold.</summary>
[Collection(EngineCollection.Name)]
public sealed class AccuracyTests(EngineFixture fx, ITestOutputHelper output)
{
    private async Task<IReadOnlyList<ScoredPair>> Score(string set, bool chip = false)
    {
        var root = fx.Faces(set);
        var pairs = FaceDataSets.ReadPairs(Path.Combine(root, "pairs.tsv"));
        var scored = await fx.Evaluator.ScorePairsAsync(root, pairs, chip);
        var t = fx.Engine.Thresholds;
        output.WriteLine(FormattableString.Invariant(
            $"{set}{(chip ? " chip" : "")}: {scored.Count} pairs, acc@review({t.Review:F4}) {FaceMetrics.AccuracyAt(scored, t.Review):P2}, acc@match({t.Match:F4}) {FaceMetrics.AccuracyAt(scored, t.Match):P2}, cv10 {FaceMetrics.CrossValidatedAccuracy(scored):P2}, auc {FaceMetrics.Auc(scored):F4}, refused {scored.Count(p => p.Score is null)}"));
        return scored;
    }

    [Fact]
    public async Task Lfw_subset_accuracy()
    {
        var scored = await Score("lfw");
        Assert.Equal(922, scored.Count);
        Assert.True(scored.Count(p => p.Score is null) <= 10, "too many LFW pairs refused by the gates");
        // At the calibrated threshold the product uses to say NO_MATCH (REVIEW, FAR 1e-3). See docs/face-engine.md.
        Assert.True(FaceMetrics.AccuracyAt(scored, fx.Engine.Thresholds.Review) >= 0.99);
        Assert.True(FaceMetrics.CrossValidatedAccuracy(scored) >= 0.985);
        Assert.True(FaceMetrics.Auc(scored) >= 0.995);
    }

    [Fact]
    public async Task Lfw_chip_simulated_accuracy_close_to_clean()
    {
        var clean = await Score("lfw");
        var chip = await Score("lfw", chip: true);
        var t = fx.Engine.Thresholds.Review;
        // Issue 14: with refusals counted as errors, chip-simulated within 0.5 point of clean (measured: 99.35 vs 99.46).
        var cleanFigures = VerificationFigures.At(clean, t);
        var chipFigures = VerificationFigures.At(chip, t);
        Assert.True(chipFigures.AccuracyRefusalsAsErrors >= cleanFigures.AccuracyRefusalsAsErrors - 0.005,
            $"chip {chipFigures.AccuracyRefusalsAsErrors:P2} vs clean {cleanFigures.AccuracyRefusalsAsErrors:P2}");
        Assert.True(chipFigures.AccuracyRefusalsAsErrors >= 0.99);
        // No image of the set, clean or as a chip portrait, is refused (failure to acquire <= 0.5 % required).
        Assert.Equal(0, chipFigures.RefusedGenuine + chipFigures.RefusedImpostor + cleanFigures.RefusedGenuine + cleanFigures.RefusedImpostor);
    }

    [Fact]
    public async Task Deepface_accuracy()
    {
        var scored = await Score("deepface");
        Assert.Equal(1830, scored.Count);
        Assert.True(FaceMetrics.AccuracyAt(scored, fx.Engine.Thresholds.Review) >= 0.995);
    }

    [Fact]
    public async Task Face_recognition_set_is_perfect()
    {
        var scored = await Score("face_recognition");
        Assert.Equal(105, scored.Count);
        Assert.Equal(1.0, FaceMetrics.AccuracyAt(scored, fx.Engine.Thresholds.Review));
    }

    [Fact]
    public void Calibration_is_present_for_every_built_in_profile()
    {
        var file = CalibrationFile.Load(CalibrationFile.ResolvePath("calibration.json"));
        foreach (var flip in new[] { true, false })
        {
            var version = new FaceOptions { FlipFusion = flip }.ResolveProfile().EffectiveVersion;
            Assert.True(file.Models.TryGetValue(version, out var e), version);
            Assert.True(e!.ImpostorPairs > 90_000);
            Assert.True(e.Far1e4 > e.Far1e3);
        }
    }
}
