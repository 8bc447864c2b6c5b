namespace RealName.Grains.Face;

/// <summary>
/// 1:1 face verification (stateless worker; use any key, e.g. 0). The work runs on the face engine's own pool,
/// never on the Orleans scheduler. The methods that do image work take the caller's cancellation token; a token already
/// cancelled stops the call before it is sent. Orleans does not yet route a later cancellation to the stateless-worker
/// activation running the call (dotnet/orleans#9877), so the grid's own grains run their face work on the local engine
/// with the caller's token (<c>FaceWork</c>, the same engine this grain uses, as a stateless worker is always local).
/// </summary>
[Alias("RealName.Grains.Face.IFaceComparisonGrain")]
public interface IFaceComparisonGrain : IGrainWithIntegerKey
{
    /// <summary>Compares the portrait of an identity document (card photo or chip image) with a live photo.</summary>
    Task<FaceCompareResult> Compare(byte[] document, byte[] live, CancellationToken cancellationToken = default);

    /// <summary>Extracts a storable template from one image.</summary>
    Task<FaceExtractResult> Extract(byte[] image, FaceImageKind kind, CancellationToken cancellationToken = default);

    /// <summary>Compares a stored template with a new live photo.</summary>
    Task<FaceCompareResult> CompareWithTemplate(FaceTemplateData template, byte[] live, CancellationToken cancellationToken = default);

    /// <summary>Compares two templates already extracted (no image work, so no engine slot is taken);
    /// REJECTED when either is of another model version than the engine's.</summary>
    Task<FaceCompareResult> CompareTemplates(FaceTemplateData enrolled, FaceTemplateData live);
}
