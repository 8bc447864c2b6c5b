using System.ComponentModel.DataAnnotations;

namespace RealName.Face;

/// <summary>How an embedding model is fed and what it returns. Bound from <c>Face:Profiles:&lt;name&gt;</c>.</summary>
public sealed class ModelProfile
{
    /// <summary>Model file, relative to <see cref="FaceOptions.ModelsPath"/>.</summary>
    public string File { get; set; } = "";

    /// <summary>Expected SHA-256 (hex). Empty = only check that the model loads.</summary>
    public string Sha256 { get; set; } = "";

    public int InputWidth { get; set; } = 112;
    public int InputHeight { get; set; } = 112;

    /// <summary>Pixel value subtracted before scaling (same for all channels).</summary>
    public double Mean { get; set; } = 127.5;

    /// <summary>Multiplier applied after the mean is subtracted.</summary>
    public double Scale { get; set; } = 1.0 / 127.5;

    /// <summary>"BGR" or "RGB": channel order the network expects.</summary>
    public string ChannelOrder { get; set; } = "BGR";

    public int OutputSize { get; set; } = 128;

    /// <summary>Version string stored with every template (templates of different versions never compare).</summary>
    public string Version { get; set; } = "";

    /// <summary>Add the embedding of the horizontally mirrored face before normalising (flip fusion).</summary>
    public bool FlipFusion { get; set; }

    /// <summary>
    /// Name of a second profile whose embedding is fused with this one (score-level fusion: the two L2-normalised
    /// embeddings are concatenated with weight 1/sqrt(2), so the cosine is the mean of the two models' cosines).
    /// </summary>
    public string FuseWith { get; set; } = "";

    /// <summary>The resolved <see cref="FuseWith"/> profile (set by <see cref="FaceOptions.ResolveProfile"/>).</summary>
    public ModelProfile? FusedProfile { get; internal set; }

    /// <summary>Version including options that change the embedding space (fusion, flip).</summary>
    public string EffectiveVersion =>
        Version + (FusedProfile is null ? "" : "&" + FusedProfile.Version) + (FlipFusion ? "+flip" : "");

    /// <summary>Length of the template embedding.</summary>
    public int TemplateSize => OutputSize + (FusedProfile?.OutputSize ?? 0);

    public ModelProfile Clone() => (ModelProfile)MemberwiseClone();
}

/// <summary>Quality gate thresholds. Bound from <c>Face:Gates</c>.</summary>
public sealed class FaceGateOptions
{
    /// <summary>Largest accepted encoded image, bytes.</summary>
    [Range(typeof(long), "1024", "104857600", ErrorMessage = "Face:Gates:MaxImageBytes must be between {1} and {2}.")]
    public long MaxImageBytes { get; set; } = 15 * 1024 * 1024;

    /// <summary>Largest accepted image, pixels (width*height read from the header before decoding): 16 MP.</summary>
    [Range(typeof(long), "10000", "100000000", ErrorMessage = "Face:Gates:MaxImagePixels must be between {1} and {2}.")]
    public long MaxImagePixels { get; set; } = 16_000_000;

    /// <summary>Largest accepted side, pixels.</summary>
    [Range(64, 100000, ErrorMessage = "Face:Gates:MaxImageSide must be between {1} and {2}.")]
    public int MaxImageSide { get; set; } = 12_000;

    /// <summary>Faces below this YuNet score are not faces at all.</summary>
    [Range(0.0, 1.0, ErrorMessage = "Face:Gates:DetectionThreshold must be between {1} and {2}.")]
    public float DetectionThreshold { get; set; } = 0.5f;

    /// <summary>The chosen face must score at least this, else NOT_A_PHOTO (cartoon avatar scores 0.613).</summary>
    [Range(0.0, 1.0, ErrorMessage = "Face:Gates:MinPhotoScore must be between {1} and {2}.")]
    public float MinPhotoScore { get; set; } = 0.7f;

    /// <summary>Live role: another confident face with area &gt;= this share of the chosen face =&gt; MULTIPLE_FACES.</summary>
    [Range(0.0, 1.0, ErrorMessage = "Face:Gates:MultipleFaceAreaRatio must be between {1} and {2}.")]
    public double MultipleFaceAreaRatio { get; set; } = 0.45;

    // The defaults below sit where the genuine pairs' FNMR at REVIEW (gates off) passes ~10 % as the image is degraded
    // (LFW genuine pairs, `realname face eval --degrade`): evidence in calibration.json "gates" and docs/face-engine.md.

    /// <summary>Minimum face box width in original pixels.</summary>
    [Range(1.0, 10000.0, ErrorMessage = "Face:Gates:MinFaceWidthPx must be between {1} and {2}.")]
    public double MinFaceWidthPx { get; set; } = 20;

    /// <summary>Minimum Laplacian variance of the aligned grey face.</summary>
    [Range(0.0, 100000.0, ErrorMessage = "Face:Gates:MinSharpness must be between {1} and {2}.")]
    public double MinSharpness { get; set; } = 8;

    /// <summary>Minimum mean grey level of the aligned face centre.</summary>
    [Range(0.0, 255.0, ErrorMessage = "Face:Gates:MinBrightness must be between {1} and {2}.")]
    public double MinBrightness { get; set; } = 25;

    /// <summary>Maximum mean grey level of the aligned face centre.</summary>
    [Range(0.0, 255.0, ErrorMessage = "Face:Gates:MaxBrightness must be between {1} and {2}.")]
    public double MaxBrightness { get; set; } = 215;

    /// <summary>Maximum share of saturated (&gt;= 250) pixels in the aligned face centre.</summary>
    [Range(0.0, 1.0, ErrorMessage = "Face:Gates:MaxSaturatedFraction must be between {1} and {2}.")]
    public double MaxSaturatedFraction { get; set; } = 0.35;

    /// <summary>
    /// Maximum |yaw| (nose offset along the eye line / eye distance; ~0.5 at a 40 degree turn). No rise of the genuine
    /// pairs' FNMR was measured up to the highest estimate on the shared sets (1.13, a near-profile chip portrait that
    /// still matched), so the gate refuses only beyond it. Evidence: calibration.json "gates", docs/face-engine.md.
    /// </summary>
    [Range(0.0, 10.0, ErrorMessage = "Face:Gates:MaxYaw must be between {1} and {2}.")]
    public double MaxYaw { get; set; } = 1.2;

    /// <summary>Maximum |roll| of the eye line in degrees.</summary>
    [Range(0.0, 180.0, ErrorMessage = "Face:Gates:MaxRollDegrees must be between {1} and {2}.")]
    public double MaxRollDegrees { get; set; } = 30;

    /// <summary>
    /// Images with a long side below this are upscaled (bilinear, by ceil(this / long side), at most 4x) before detection:
    /// 300 gives 102x126 chip portraits 3x and LFW's 150x150 2x, which measured best for chip portraits (docs/face-engine.md).
    /// </summary>
    [Range(0, 10000, ErrorMessage = "Face:Gates:UpscaleBelowPx must be between {1} and {2}.")]
    public int UpscaleBelowPx { get; set; } = 300;

    /// <summary>Images with a long side above this are downscaled for detection.</summary>
    [Range(64, 10000, ErrorMessage = "Face:Gates:DetectMaxSidePx must be between {1} and {2}.")]
    public int DetectMaxSidePx { get; set; } = 640;
}

/// <summary>Decision thresholds. Bound from <c>Face:Decision</c>.</summary>
public sealed class FaceDecisionOptions
{
    /// <summary>Calibration file (absolute, or relative to the application directory).</summary>
    public string CalibrationFile { get; set; } = "calibration.json";

    /// <summary>Explicit MATCH threshold; overrides the calibration.</summary>
    [Range(-1.0, 1.0, ErrorMessage = "Face:Decision:MatchThreshold must be between {1} and {2}.")]
    public double? MatchThreshold { get; set; }

    /// <summary>Explicit REVIEW threshold; overrides the calibration.</summary>
    [Range(-1.0, 1.0, ErrorMessage = "Face:Decision:ReviewThreshold must be between {1} and {2}.")]
    public double? ReviewThreshold { get; set; }

    /// <summary>False-accept rate the MATCH threshold is taken at ("1e-4" or "1e-3").</summary>
    public string MatchAtFar { get; set; } = "1e-4";

    /// <summary>False-accept rate the REVIEW threshold is taken at.</summary>
    public string ReviewAtFar { get; set; } = "1e-3";

    /// <summary>Explicit 1:N search threshold (a face seen under another identity); overrides the calibration.</summary>
    [Range(-1.0, 1.0, ErrorMessage = "Face:Decision:SearchThreshold must be between {1} and {2}.")]
    public double? SearchThreshold { get; set; }

    /// <summary>False-match rate per pair the 1:N search threshold is taken at ("1e-5", "1e-4" or "1e-3").</summary>
    [RegularExpression("^1e-[345]$", ErrorMessage = "Face:Decision:SearchAtFar must be 1e-3, 1e-4 or 1e-5.")]
    public string SearchAtFar { get; set; } = "1e-5";
}

/// <summary>Test seams of the engine. Bound from <c>Face:Testing</c>; empty in production.</summary>
public sealed class FaceTestingOptions
{
    /// <summary>
    /// A pause before every stage of every extraction (zero: none). It slows the real pipeline down so a test can
    /// give up on a request mid-way and see the work abandoned; the pause itself ends early when the caller gives up.
    /// </summary>
    public TimeSpan StageDelay { get; set; }
}

/// <summary>The face engine's settings: configuration section <c>Face</c>.</summary>
public sealed class FaceOptions : IValidatableObject
{
    public const string SectionName = "Face";

    /// <summary>Model folder. Empty = REALNAME_MODELS, REALNAME_SHARED/models, or a <c>shared/models</c> found walking up.</summary>
    public string ModelsPath { get; set; } = "";

    /// <summary>YuNet model file, relative to <see cref="ModelsPath"/>.</summary>
    public string DetectorFile { get; set; } = "face_detection_yunet_2023mar.onnx";

    public string DetectorSha256 { get; set; } = "8f2383e4dd3cfbb4553ea8718107fc0423210dc964f9f4280604804ed2552fa4";

    /// <summary>Name of the embedding profile in <see cref="Profiles"/>.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Face:Profile must name an embedding profile.")]
    public string Profile { get; set; } = DefaultProfileName;

    /// <summary>Overrides the profile's FlipFusion when set.</summary>
    public bool? FlipFusion { get; set; }

    /// <summary>Number of native engines (each single-threaded). 0 = one per core.</summary>
    [Range(0, 256, ErrorMessage = "Face:PoolSize must be between {1} and {2} (0: one per core).")]
    public int PoolSize { get; set; }

    /// <summary>
    /// Face work items that may wait for a free engine; past that the engine refuses at once
    /// (<see cref="FaceEngineBusyException"/>) instead of piling up work nobody waits for any more.
    /// </summary>
    [Range(0, 100000, ErrorMessage = "Face:MaxQueuedWork must be between {1} and {2}.")]
    public int MaxQueuedWork { get; set; } = 32;

    /// <summary>
    /// Longest a work item waits for a free engine before it is refused as busy: well under the grid's
    /// call timeout (30 s), so a loaded grid answers GRID_BUSY instead of timing out.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00", ErrorMessage = "Face:MaxQueueWait must be between {1} and {2}.")]
    public TimeSpan MaxQueueWait { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>OpenCV internal threads (cv::setNumThreads). Parallelism comes from the pool, so 1 by default.</summary>
    [Range(1, 256, ErrorMessage = "Face:OpenCvThreads must be between {1} and {2}.")]
    public int OpenCvThreads { get; set; } = 1;

    /// <summary>
    /// Set glibc's allocator (process-wide) to serve the engine's image buffers from its heap and keep freed memory
    /// rather than unmap it and fault it in again on the next comparison (<c>NativeAllocator</c>). Costs resident
    /// memory the process keeps after a burst; false leaves glibc's defaults.
    /// </summary>
    public bool TuneNativeAllocator { get; set; } = true;

    public Dictionary<string, ModelProfile> Profiles { get; } = DefaultProfiles();

    public FaceGateOptions Gates { get; set; } = new();

    public FaceDecisionOptions Decision { get; set; } = new();

    /// <summary>Test seams; never set in production.</summary>
    public FaceTestingOptions Testing { get; set; } = new();

    /// <summary>The nested sections' own rules (data annotations do not descend), and the rules between settings.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(Gates, new ValidationContext(Gates), results, validateAllProperties: true);
        Validator.TryValidateObject(Decision, new ValidationContext(Decision), results, validateAllProperties: true);
        if (Gates.MinBrightness >= Gates.MaxBrightness)
        {
            results.Add(new ValidationResult("Face:Gates:MinBrightness must be below Face:Gates:MaxBrightness."));
        }

        if (Decision.MatchThreshold is { } match && Decision.ReviewThreshold is { } review && review > match)
        {
            results.Add(new ValidationResult("Face:Decision:ReviewThreshold must not be above Face:Decision:MatchThreshold."));
        }

        return results;
    }

    public const string DefaultProfileName = "paddlex-mobilefacenet";

    public const string FusedProfileName = "paddlex+faceplugin";

    public static Dictionary<string, ModelProfile> DefaultProfiles()
    {
        var paddleX = new ModelProfile
        {
            File = "paddlex_mobilefacenet/MobileFaceNet.onnx",
            Sha256 = "6ced4e0c36abba9dd24b48d725f7dbb94089f75b3d3445d3d67b85157cb64743",
            Mean = 127.5,
            Scale = 1.0 / 127.5,
            ChannelOrder = "BGR",
            OutputSize = 128,
            Version = "paddlex-mobilefacenet-128-bgr/6ced4e0c",
            FlipFusion = true,
        };
        var fused = paddleX.Clone();
        fused.FuseWith = "faceplugin-512";
        return new(StringComparer.OrdinalIgnoreCase)
        {
            [DefaultProfileName] = paddleX,
            [FusedProfileName] = fused,
            ["faceplugin-512"] = new ModelProfile
            {
                File = "faceplugin/fr_feature.onnx",
                Sha256 = "87aacdfe57510db2af90c0251df680e8eec88f122ee94712121d09bcaaaf3581",
                Mean = 127.0,
                Scale = 1.0 / 128.0,
                ChannelOrder = "BGR",
                OutputSize = 512,
                Version = "faceplugin-fr-512/87aacdfe",
                FlipFusion = true,
            },
        };
    }

    /// <summary>The selected profile with <see cref="FlipFusion"/> applied.</summary>
    public ModelProfile ResolveProfile()
    {
        if (!Profiles.TryGetValue(Profile, out var p))
        {
            throw new FaceModelException($"Face:Profile '{Profile}' is not defined. Known profiles: {string.Join(", ", Profiles.Keys)}.");
        }

        var copy = p.Clone();
        if (FlipFusion is { } flip)
        {
            copy.FlipFusion = flip;
        }

        copy.FusedProfile = null;
        if (!string.IsNullOrWhiteSpace(copy.FuseWith))
        {
            if (!Profiles.TryGetValue(copy.FuseWith, out var second) || !string.IsNullOrWhiteSpace(second.FuseWith))
            {
                throw new FaceModelException($"Face:Profiles:{Profile}:FuseWith names '{copy.FuseWith}', which is not a plain profile.");
            }

            copy.FusedProfile = second.Clone();
        }

        return copy;
    }
}

/// <summary>A model is missing, corrupt or misconfigured; start-up must stop.</summary>
public sealed class FaceModelException : Exception
{
    public FaceModelException()
    {
    }

    public FaceModelException(string message) : base(message)
    {
    }

    public FaceModelException(string message, Exception inner) : base(message, inner)
    {
    }
}

/// <summary>Every engine is busy and the wait queue (<see cref="FaceOptions.MaxQueuedWork"/>) is full: retry later.</summary>
public sealed class FaceEngineBusyException : Exception
{
    public FaceEngineBusyException()
    {
    }

    public FaceEngineBusyException(string message) : base(message)
    {
    }

    public FaceEngineBusyException(string message, Exception inner) : base(message, inner)
    {
    }
}
