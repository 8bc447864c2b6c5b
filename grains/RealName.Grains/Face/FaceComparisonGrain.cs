using Orleans.Concurrency;
using RealName.Face;

using RealName.Rules;

namespace RealName.Grains.Face;

/// <summary>
/// Stateless face verification over the shared <see cref="IFaceEngine"/> (register it with AddFaceEngine).
/// A full engine queue becomes <see cref="GridBusyException"/>, which crosses the cluster to the gateway.
/// Reentrant: the activation holds no state, and the engine's own bounded queue, not the activation's
/// unbounded message queue, must decide what waits (a non-reentrant worker queued calls until they timed out).
/// </summary>
[GrainType("facecomparison")]
[StatelessWorker]
[Reentrant]
public sealed class FaceComparisonGrain(IFaceEngine engine) : Grain, IFaceComparisonGrain
{
    public Task<FaceCompareResult> Compare(byte[] document, byte[] live, CancellationToken cancellationToken = default) =>
        FaceWork.Compare(engine, document, live, cancellationToken);

    public Task<FaceExtractResult> Extract(byte[] image, FaceImageKind kind, CancellationToken cancellationToken = default) => Busy(async () =>
    {
        var r = await engine.ExtractAsync(image, kind == FaceImageKind.Document ? ImageRole.Document : ImageRole.Live, cancellationToken);
        var template = r.Accepted ? new FaceTemplateData(r.Template!.Embedding.ToArray(), r.Template.ModelVersion) : null;
        return new FaceExtractResult(template, FaceDtoMapper.Map(r), r.ModelVersion);
    });

    public Task<FaceCompareResult> CompareWithTemplate(FaceTemplateData template, byte[] live, CancellationToken cancellationToken = default) =>
        FaceWork.CompareWithTemplate(engine, template, live, cancellationToken);

    public Task<FaceCompareResult> CompareTemplates(FaceTemplateData enrolled, FaceTemplateData live)
    {
        ArgumentNullException.ThrowIfNull(enrolled);
        ArgumentNullException.ThrowIfNull(live);
        var a = new FaceTemplate(enrolled.Embedding.ToArray(), enrolled.ModelVersion);
        var b = new FaceTemplate(live.Embedding.ToArray(), live.ModelVersion);
        var comparable = a.ModelVersion == engine.ModelVersion && b.ModelVersion == engine.ModelVersion;
        var (score, decision) = comparable ? engine.Score(a, b) : ((double?)null, FaceDecision.REJECTED);
        return Task.FromResult(FaceDtoMapper.Map(new FaceComparison(score, decision, [], null, null, engine.ModelVersion, engine.Thresholds)));
    }

    private static Task<T> Busy<T>(Func<Task<T>> work) => FaceWork.Busy(work);
}

/// <summary>Face work on this silo's engine, as the grains run it.</summary>
public static class FaceWork
{
    /// <summary>A full engine queue becomes <see cref="GridBusyException"/>, which crosses the cluster to the gateway.</summary>
    public static async Task<T> Busy<T>(Func<Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        try
        {
            return await work();
        }
        catch (FaceEngineBusyException ex)
        {
            throw new GridBusyException(ex.Message);
        }
    }

    /// <summary>Document portrait against live photo, abandoned when <paramref name="cancellationToken"/> fires.</summary>
    public static Task<FaceCompareResult> Compare(IFaceEngine engine, byte[] document, byte[] live, CancellationToken cancellationToken) =>
        Busy(async () => FaceDtoMapper.Map(await engine.CompareAsync(document, live, cancellationToken)));

    /// <summary>A stored template against a live photo, abandoned when <paramref name="cancellationToken"/> fires.</summary>
    public static Task<FaceCompareResult> CompareWithTemplate(IFaceEngine engine, FaceTemplateData template, byte[] live, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(template);
        var t = new FaceTemplate(template.Embedding.ToArray(), template.ModelVersion);
        return Busy(async () => FaceDtoMapper.Map(await engine.CompareWithTemplateAsync(t, live, cancellationToken)));
    }
}

/// <summary>Maps the engine's types onto the Orleans-serializable contracts.</summary>
public static class FaceDtoMapper
{
    public static FaceCompareResult Map(FaceComparison c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return new FaceCompareResult(c.Score, (FaceVerdict)(int)c.Decision, [.. c.Reasons],
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
            [.. r.Reasons],
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
