using RealName.Rules;

namespace RealName.Face;

/// <summary>What kind of picture an image is; decides which face counts.</summary>
public enum ImageRole
{
    /// <summary>An identity document (ID card photo or chip portrait): the portrait face, i.e. the biggest confident face.</summary>
    Document = 0,

    /// <summary>A live photo/selfie: exactly one dominant face; a second sizeable face is MULTIPLE_FACES.</summary>
    Live = 1,

    /// <summary>
    /// Evaluation only (LFW-style benchmark photos): the confident face nearest the image centre is the subject,
    /// other faces (bystanders) are ignored. Never use this for product decisions.
    /// </summary>
    CentredSubject = 2,
}

/// <summary>The steps of one extraction; work whose caller gave up is abandoned before the next one.</summary>
public enum FaceStage
{
    /// <summary>Waiting for a free pipeline in the engine's bounded queue.</summary>
    Queue = 0,
    Decode = 1,
    Detect = 2,
    Align = 3,
    Embed = 4,
}

/// <summary>Outcome of a 1:1 comparison. REJECTED means a quality gate refused one of the images (no score).</summary>
public enum FaceDecision
{
    MATCH = 1,
    NO_MATCH = 2,
    REVIEW = 3,
    REJECTED = 4,
}

/// <summary>A point in original-image pixel coordinates.</summary>
public readonly record struct FacePoint(float X, float Y);

/// <summary>A detected face in original-image pixel coordinates.</summary>
/// <param name="Landmarks">Right eye, left eye, nose tip, right mouth corner, left mouth corner (YuNet order).</param>
public sealed record FaceBox(float X, float Y, float Width, float Height, float Score, IReadOnlyList<FacePoint> Landmarks);

/// <summary>Quality figures of the selected face (the inputs of the gates).</summary>
/// <param name="DetectorScore">YuNet confidence.</param>
/// <param name="FaceWidthPx">Face box width in original-image pixels.</param>
/// <param name="InterocularPx">Eye distance in original-image pixels.</param>
/// <param name="Sharpness">Variance of the Laplacian of the aligned 112x112 grey face.</param>
/// <param name="Brightness">Mean grey level (0-255) of the aligned face centre.</param>
/// <param name="SaturatedFraction">Share of aligned-face-centre pixels at grey level &gt;= 250.</param>
/// <param name="Yaw">Nose offset from the eye midpoint along the eye line, divided by the eye distance (0 = frontal).</param>
/// <param name="RollDegrees">Angle of the eye line.</param>
/// <param name="Pitch">Nose height between eye line and mouth line (0.5-ish frontal; near 0 or 1 = extreme pitch).</param>
public sealed record FaceQuality(
    double DetectorScore,
    double FaceWidthPx,
    double InterocularPx,
    double Sharpness,
    double Brightness,
    double SaturatedFraction,
    double Yaw,
    double RollDegrees,
    double Pitch);

/// <summary>A stored face template: what is kept for an enrolled person.</summary>
public sealed record FaceTemplate(float[] Embedding, string ModelVersion);

/// <summary>Time spent per stage of one image, in milliseconds.</summary>
public sealed record FaceTimings(double DecodeMs, double DetectMs, double AlignMs, double EmbedMs);

/// <summary>Result of extracting a template from one image.</summary>
public sealed record FaceTemplateResult(
    FaceTemplate? Template,
    IReadOnlyList<FaceRefusalReason> Reasons,
    FaceBox? Face,
    IReadOnlyList<FaceBox> AllFaces,
    FaceQuality? Quality,
    int ImageWidth,
    int ImageHeight,
    string ModelVersion,
    FaceTimings Timings)
{
    /// <summary>True when a template was produced and no gate refused the image.</summary>
    public bool Accepted => Template is not null && Reasons.Count == 0;
}

/// <summary>The thresholds a decision was made with.</summary>
/// <param name="Match">score &gt;= Match =&gt; MATCH.</param>
/// <param name="Review">Review &lt;= score &lt; Match =&gt; REVIEW; below =&gt; NO_MATCH.</param>
public sealed record DecisionThresholds(double Match, double Review, string Source)
{
    /// <summary>A 1:N search hit: score &gt;= Search (never below <see cref="Match"/>).</summary>
    public double Search { get; init; } = Match;
}

/// <summary>Result of a 1:1 comparison.</summary>
public sealed record FaceComparison(
    double? Score,
    FaceDecision Decision,
    IReadOnlyList<FaceRefusalReason> Reasons,
    FaceTemplateResult? Document,
    FaceTemplateResult? Live,
    string ModelVersion,
    DecisionThresholds Thresholds);
