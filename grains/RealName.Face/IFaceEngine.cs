namespace RealName.Face;

/// <summary>1:1 face verification for other components (grains, CLI).</summary>
public interface IFaceEngine
{
    /// <summary>Model version of the templates this engine produces (e.g. "paddlex-mobilefacenet-128/6ced4e0c+flip").</summary>
    string ModelVersion { get; }

    /// <summary>Thresholds in use.</summary>
    DecisionThresholds Thresholds { get; }

    /// <summary>Compares the portrait on an identity document with a live photo.</summary>
    Task<FaceComparison> CompareAsync(ReadOnlyMemory<byte> document, ReadOnlyMemory<byte> live, CancellationToken cancellationToken = default);

    /// <summary>Detects, gates and embeds the face of one image.</summary>
    Task<FaceTemplateResult> ExtractAsync(ReadOnlyMemory<byte> image, ImageRole role, CancellationToken cancellationToken = default);

    /// <summary>Compares a stored (enrolled) template with a new live photo.</summary>
    Task<FaceComparison> CompareWithTemplateAsync(FaceTemplate enrolled, ReadOnlyMemory<byte> live, CancellationToken cancellationToken = default);

    /// <summary>Compares two extraction results (document first). Refused or version-mismatched inputs give REJECTED.</summary>
    FaceComparison CompareTemplates(FaceTemplateResult document, FaceTemplateResult live);

    /// <summary>Score and decision of two templates of the same model version.</summary>
    (double Score, FaceDecision Decision) Score(FaceTemplate a, FaceTemplate b);
}
