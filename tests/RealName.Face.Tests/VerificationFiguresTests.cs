using OpenCvSharp;
using RealName.Face;
using RealName.Rules;

namespace RealName.Face.Tests;

/// <summary>The ISO/IEC 19795-1 figures of `realname face eval`, on a tiny pairs file of real photos with one refused image.</summary>
[Collection(EngineCollection.Name)]
public sealed class VerificationFiguresTests(EngineFixture fx) : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("realname-fta-");

    public void Dispose() => _dir.Delete(true);

    private void Copy(string lfw, string name) => File.Copy(fx.Faces("lfw/" + lfw), Path.Combine(_dir.FullName, name));

    [Fact]
    public async Task Refused_image_counts_once_in_FTA_and_both_ways_in_accuracy()
    {
        Copy("Adam_Sandler/Adam_Sandler_0001.jpg", "sandler1.jpg");
        Copy("Adam_Sandler/Adam_Sandler_0002.jpg", "sandler2.jpg");
        Copy("Zico/Zico_0001.jpg", "zico1.jpg");
        // Sandler 0003 made far too dark: TOO_DARK, the only refused image.
        using (var img = Cv2.ImRead(fx.Faces("lfw/Adam_Sandler/Adam_Sandler_0003.jpg")))
        using (var dark = new Degradation(DegradationKind.Gain, 0.1).Apply(img))
        {
            Cv2.ImWrite(Path.Combine(_dir.FullName, "sandler3-dark.png"), dark);
        }

        (string, string, bool)[] pairs =
        [
            ("sandler1.jpg", "sandler2.jpg", true),
            ("sandler1.jpg", "sandler3-dark.png", true),
            ("sandler1.jpg", "zico1.jpg", false),
            ("zico1.jpg", "sandler3-dark.png", false),
        ];
        var evaluator = new FaceEvaluator(fx.Engine);
        var scored = await evaluator.ScorePairsAsync(_dir.FullName, pairs, simulateChip: false);

        // 4 distinct images (sandler1 and zico1 appear on both sides), one refused.
        var fta = VerificationFigures.Acquisition(evaluator.ImagesOf(pairs, simulateChip: false));
        Assert.Equal(4, fta.Images);
        Assert.Equal(1, fta.Refused);
        Assert.Equal(0.25, fta.Rate);
        Assert.Equal(new Dictionary<FaceRefusalReason, int> { [FaceRefusalReason.TOO_DARK] = 1 }, fta.ByReason);

        var review = VerificationFigures.At(scored, fx.Engine.Thresholds.Review);
        Assert.Equal((1, 0, 1, 0, 1, 1), (review.GenuineScored, review.FalseNonMatches, review.ImpostorScored, review.FalseMatches, review.RefusedGenuine, review.RefusedImpostor));
        Assert.Equal(0.5, review.AccuracyRefusalsAsErrors);
        Assert.Equal(1.0, review.AccuracyRefusalsExcluded);
        Assert.Equal(0.5, review.Frr);   // the refused genuine pair is a false rejection per transaction
        Assert.Equal(0.0, review.Fnmr);  // but not a false non-match: it was never compared

        // The refused pairs still carry the score they would have had, and why they were refused.
        var refused = scored.Single(p => p is { Same: true, Score: null });
        Assert.Equal([FaceRefusalReason.TOO_DARK], refused.Refusals);
        Assert.NotNull(refused.UngatedScore);
    }

    [Fact]
    public void Threshold_figures_count_each_kind_of_error()
    {
        ScoredPair[] pairs =
        [
            new("a", "b", true, 0.9), new("a", "c", true, 0.2), new("a", "d", true, null),
            new("a", "e", false, 0.1), new("a", "f", false, 0.5), new("a", "g", false, 0.05), new("a", "h", false, null),
        ];
        var f = VerificationFigures.At(pairs, 0.4);
        Assert.Equal(0.5, f.Fnmr);              // 1 of 2 scored genuine below
        Assert.Equal(1.0 / 3, f.Fmr, 9);        // 1 of 3 scored impostors above
        Assert.Equal(2.0 / 3, f.Frr, 9);        // below + refused, of 3 genuine
        Assert.Equal(0.25, f.Far);              // 1 of 4 impostors
        Assert.Equal(3.0 / 7, f.AccuracyRefusalsAsErrors, 9);
        Assert.Equal(3.0 / 5, f.AccuracyRefusalsExcluded, 9);
    }

    [Fact]
    public void Degradations_parse_and_print_the_same()
    {
        Assert.Equal(new Degradation(DegradationKind.Blur, 2.5), Degradation.Parse("blur:2.5"));
        Assert.Equal("rotate:-20", Degradation.Parse("ROTATE:-20").ToString());
        Assert.Throws<FormatException>(() => Degradation.Parse("fog:3"));
    }
}
