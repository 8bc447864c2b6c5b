using Orleans.Concurrency;
using RealName.Face;

namespace RealName.Grains.Face;

/// <summary>Stateless face verification over the shared <see cref="IFaceEngine"/> (register it with AddFaceEngine).</summary>
[StatelessWorker]
public sealed class FaceComparisonGrain(IFaceEngine engine) : Grain, IFaceComparisonGrain
{
    public async Task<FaceCompareResult> Compare(byte[] document, byte[] live) =>
        FaceDtoMapper.Map(await engine.CompareAsync(document, live));

    public async Task<FaceExtractResult> Extract(byte[] image, FaceImageKind kind)
    {
        var r = await engine.ExtractAsync(image, kind == FaceImageKind.Document ? ImageRole.Document : ImageRole.Live);
        var template = r.Accepted ? new FaceTemplateData(r.Template!.Embedding.ToArray(), r.Template.ModelVersion) : null;
        return new FaceExtractResult(template, FaceDtoMapper.Map(r), r.ModelVersion);
    }

    public async Task<FaceCompareResult> CompareWithTemplate(FaceTemplateData template, byte[] live)
    {
        ArgumentNullException.ThrowIfNull(template);
        var t = new FaceTemplate(template.Embedding.ToArray(), template.ModelVersion);
        return FaceDtoMapper.Map(await engine.CompareWithTemplateAsync(t, live));
    }
}

/// <summary>Maps the engine's types onto the Orleans-serializable contracts.</summary>
public static class FaceDtoMapper
{
    public static FaceCompareResult Map(FaceComparison c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return new FaceCompareResult(c.Score, (FaceVerdict)(int)c.Decision, c.Reasons.Select(r => (FaceRefusalReason)(int)r).ToArray(),
            c.Document is null ? null : Map(c.Document), c.Live is null ? null : Map(c.Live), c.ModelVersion, c.Thresholds.Match, c.Thresholds.Review)
        {
            DocumentTemplate = Template(c.Document),
            LiveTemplate = Template(c.Live),
        };
    }

    public static FaceImageReport Map(FaceTemplateResult r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var q = r.Quality;
        return new FaceImageReport(
            r.Accepted,
            r.Reasons.Select(x => (FaceRefusalReason)(int)x).ToArray(),
            r.Face is null ? null : Map(r.Face),
            r.AllFaces.Select(Map).ToArray(),
            q is null ? null : new FaceQualityData(q.DetectorScore, q.FaceWidthPx, q.InterocularPx, q.Sharpness, q.Brightness, q.SaturatedFraction, q.Yaw, q.RollDegrees),
            r.ImageWidth,
            r.ImageHeight);
    }

    private static FaceTemplateData? Template(FaceTemplateResult? r) =>
        r is { Accepted: true, Template: { } t } ? new FaceTemplateData(t.Embedding.ToArray(), t.ModelVersion) : null;

    private static FaceBoxData Map(FaceBox b) =>
        new(b.X, b.Y, b.Width, b.Height, b.Score, b.Landmarks.SelectMany(p => new[] { p.X, p.Y }).ToArray());
}
