using RealName.Rules;

namespace RealName.Grains.Face;

/// <summary>Which face counts in an image: the document portrait, or the single dominant face of a live photo.</summary>
[Alias("RealName.Grains.Face.FaceImageKind")]
public enum FaceImageKind
{
    Document = 0,
    Live = 1,
}

/// <summary>Comparison outcome. REJECTED: a quality gate refused an image (no score).</summary>
[Alias("RealName.Grains.Face.FaceVerdict")]
public enum FaceVerdict
{
    MATCH = 1,
    NO_MATCH = 2,
    REVIEW = 3,
    REJECTED = 4,
}

/// <summary>A face box in image pixels; landmarks as x,y pairs (right eye, left eye, nose, right/left mouth corner).</summary>
[Alias("RealName.Grains.Face.FaceBoxData")]
[GenerateSerializer, Immutable]
public sealed record FaceBoxData(
    [property: Id(0)] float X,
    [property: Id(1)] float Y,
    [property: Id(2)] float Width,
    [property: Id(3)] float Height,
    [property: Id(4)] float Score,
    [property: Id(5)] IReadOnlyList<float> Landmarks);

/// <summary>Quality figures of the chosen face (see docs/face-engine.md for their meaning and the gate limits).</summary>
[Alias("RealName.Grains.Face.FaceQualityData")]
[GenerateSerializer, Immutable]
public sealed record FaceQualityData(
    [property: Id(0)] double DetectorScore,
    [property: Id(1)] double FaceWidthPx,
    [property: Id(2)] double InterocularPx,
    [property: Id(3)] double Sharpness,
    [property: Id(4)] double Brightness,
    [property: Id(5)] double SaturatedFraction,
    [property: Id(6)] double Yaw,
    [property: Id(7)] double RollDegrees);

/// <summary>What the engine found in one image.</summary>
[Alias("RealName.Grains.Face.FaceImageReport")]
[GenerateSerializer, Immutable]
public sealed record FaceImageReport(
    [property: Id(0)] bool Accepted,
    [property: Id(1)] IReadOnlyList<FaceRefusalReason> Reasons,
    [property: Id(2)] FaceBoxData? Face,
    [property: Id(3)] IReadOnlyList<FaceBoxData> AllFaces,
    [property: Id(4)] FaceQualityData? Quality,
    [property: Id(5)] int ImageWidth,
    [property: Id(6)] int ImageHeight);

/// <summary>A face template to store for later comparison; only comparable with the same <see cref="ModelVersion"/>.</summary>
[Alias("RealName.Grains.Face.FaceTemplateData")]
[GenerateSerializer, Immutable]
public sealed record FaceTemplateData(
    [property: Id(0)] IReadOnlyList<float> Embedding,
    [property: Id(1)] string ModelVersion);

/// <summary>Result of extracting a template. <see cref="Template"/> is null when the image was refused.</summary>
[Alias("RealName.Grains.Face.FaceExtractResult")]
[GenerateSerializer, Immutable]
public sealed record FaceExtractResult(
    [property: Id(0)] FaceTemplateData? Template,
    [property: Id(1)] FaceImageReport Image,
    [property: Id(2)] string ModelVersion);

/// <summary>Result of a 1:1 comparison. Score is null when REJECTED.</summary>
[Alias("RealName.Grains.Face.FaceCompareResult")]
[GenerateSerializer, Immutable]
public sealed record FaceCompareResult(
    [property: Id(0)] double? Score,
    [property: Id(1)] FaceVerdict Decision,
    [property: Id(2)] IReadOnlyList<FaceRefusalReason> Reasons,
    [property: Id(3)] FaceImageReport? Document,
    [property: Id(4)] FaceImageReport? Live,
    [property: Id(5)] string ModelVersion,
    [property: Id(6)] double MatchThreshold,
    [property: Id(7)] double ReviewThreshold)
{
    /// <summary>Template of the document portrait, when it was accepted (enrolled on a verified registration).</summary>
    [Id(8)] public FaceTemplateData? DocumentTemplate { get; init; }

    /// <summary>Template of the live face, when it was accepted.</summary>
    [Id(9)] public FaceTemplateData? LiveTemplate { get; init; }
}
