using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RealName.Face;

namespace RealName.Face.Tests;

public sealed class UnitTests
{
    [Fact]
    public void Similarity_recovers_a_known_transform()
    {
        // dst = 1.5 * R(30deg) * src + (10, -4)
        double a = 1.5 * Math.Cos(Math.PI / 6), b = 1.5 * Math.Sin(Math.PI / 6);
        var src = Similarity.ArcFaceTemplate;
        var dst = src.Select(p => new FacePoint((float)((a * p.X) - (b * p.Y) + 10), (float)((b * p.X) + (a * p.Y) - 4))).ToList();
        var m = Similarity.Estimate(src, dst);
        Assert.Equal(a, m[0], 3);
        Assert.Equal(-b, m[1], 3);
        Assert.Equal(10, m[2], 2);
        Assert.Equal(b, m[3], 3);
        Assert.Equal(-4, m[5], 2);
    }

    [Fact]
    public void Header_sizes_of_real_files()
    {
        var data = SharedPaths.DataRoot();
        Assert.Equal((1920, 928), ImageHeader.TryReadSize(File.ReadAllBytes(Path.Combine(data, "idcards/foamliu/id_card.jpg"))));
        Assert.Equal((1080, 864), ImageHeader.TryReadSize(File.ReadAllBytes(Path.Combine(data, "idcards/shaotao-art/sample.jpg")))); // progressive
        Assert.Equal((150, 150), ImageHeader.TryReadSize(File.ReadAllBytes(Path.Combine(data, "faces/lfw/Zico/Zico_0001.jpg"))));
        Assert.NotNull(ImageHeader.TryReadSize(File.ReadAllBytes(Path.Combine(data, "faces/face_recognition/tests/test_images/32bit.png"))));
        Assert.Null(ImageHeader.TryReadSize("GIF89a........"u8));
    }

    [Fact]
    public void Metrics_behave()
    {
        var pairs = new List<ScoredPair>
        {
            new("a", "b", true, 0.9), new("a", "c", true, 0.6), new("a", "d", false, 0.1), new("a", "e", false, 0.5), new("x", "y", true, null),
        };
        Assert.Equal(1.0 * 4 / 5, FaceMetrics.AccuracyAt(pairs, 0.55), 6);
        Assert.InRange(FaceMetrics.Auc(pairs), 0.66, 0.67);
        var imp = Enumerable.Range(0, 10_000).Select(i => i / 10_000.0).ToList();
        var t = FaceMetrics.ThresholdAtFar(imp, 1e-3, out var above);
        Assert.Equal(10, above);
        Assert.Equal(10, imp.Count(s => s >= t));
    }

    [Fact]
    public void Missing_models_stop_start_up_with_instructions()
    {
        var ex = Assert.Throws<FaceModelException>(() => new FaceEngine(new FaceOptions { ModelsPath = Path.GetTempPath(), PoolSize = 1 }));
        Assert.Contains("download-models.sh", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Corrupt_model_is_detected_by_checksum()
    {
        var dir = Directory.CreateTempSubdirectory("realname-models-");
        try
        {
            var shared = SharedPaths.ResolveModelsPath(null)!;
            File.Copy(Path.Combine(shared, "face_detection_yunet_2023mar.onnx"), Path.Combine(dir.FullName, "face_detection_yunet_2023mar.onnx"));
            Directory.CreateDirectory(Path.Combine(dir.FullName, "paddlex_mobilefacenet"));
            File.WriteAllBytes(Path.Combine(dir.FullName, "paddlex_mobilefacenet", "MobileFaceNet.onnx"), new byte[1000]);
            var ex = Assert.Throws<FaceModelException>(() => new FaceEngine(new FaceOptions { ModelsPath = dir.FullName, PoolSize = 1 }));
            Assert.Contains("corrupt", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [Fact]
    public void AddFaceEngine_binds_the_Face_section()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Face:PoolSize"] = "1",
            ["Face:FlipFusion"] = "false",
            ["Face:Gates:MinPhotoScore"] = "0.75",
            ["Face:Decision:MatchThreshold"] = "0.5",
            ["Face:Decision:ReviewThreshold"] = "0.3",
        }).Build();
        using var sp = new ServiceCollection().AddLogging().AddFaceEngine(config).BuildServiceProvider();
        var engine = (FaceEngine)sp.GetRequiredService<IFaceEngine>();
        Assert.Equal(1, engine.PoolSize);
        Assert.False(engine.Profile.FlipFusion);
        Assert.Equal(0.75f, engine.Options.Gates.MinPhotoScore);
        Assert.Equal(0.5, engine.Thresholds.Match);
        Assert.Equal(0.3, engine.Thresholds.Review);
        Assert.Equal(FaceDecision.REVIEW, FaceDecider.Decide(0.4, engine.Thresholds));
    }
}
