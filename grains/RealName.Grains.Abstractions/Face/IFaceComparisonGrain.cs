namespace RealName.Grains.Face;

/// <summary>
/// 1:1 face verification (stateless worker; use any key, e.g. 0). The work runs on the face engine's own pool,
/// never on the Orleans scheduler.
/// </summary>
[Alias("RealName.Grains.Face.IFaceComparisonGrain")]
public interface IFaceComparisonGrain : IGrainWithIntegerKey
{
    /// <summary>Compares the portrait of an identity document (card photo or chip image) with a live photo.</summary>
    Task<FaceCompareResult> Compare(byte[] document, byte[] live);

    /// <summary>Extracts a storable template from one image.</summary>
    Task<FaceExtractResult> Extract(byte[] image, FaceImageKind kind);

    /// <summary>Compares a stored template with a new live photo.</summary>
    Task<FaceCompareResult> CompareWithTemplate(FaceTemplateData template, byte[] live);

    /// <summary>Compares two templates already extracted (no image work, so no engine slot is taken);
    /// REJECTED when either is of another model version than the engine's.</summary>
    Task<FaceCompareResult> CompareTemplates(FaceTemplateData enrolled, FaceTemplateData live);
}
