using System.Diagnostics;
using System.Runtime.InteropServices;
using OpenCvSharp;
using OpenCvSharp.Dnn;

using RealName.Rules;

namespace RealName.Face;

/// <summary>
/// One set of native models (detector + recognizer). NOT thread-safe: the <see cref="FaceEngine"/> pools these and
/// hands each to one thread at a time.
/// </summary>
public sealed class FacePipeline : IDisposable
{
    private const int DetectBucket = 160;
    private readonly FaceGateOptions _gates;
    private readonly ModelProfile _profile;
    private readonly string _detectorPath;
    private readonly List<(Net Net, ModelProfile Profile)> _nets = [];
    private readonly Dictionary<(int W, int H), FaceDetectorYN> _detectors = [];
    private bool _disposed;

    /// <param name="recognizerPaths">The profile's model file, then the fused profile's file (if any).</param>
    public FacePipeline(string detectorPath, IReadOnlyList<string> recognizerPaths, ModelProfile profile, FaceGateOptions gates)
    {
        _gates = gates;
        _profile = profile;
        _detectorPath = detectorPath;
        try
        {
            var profiles = profile.FusedProfile is null ? new[] { profile } : [profile, profile.FusedProfile];
            for (var i = 0; i < profiles.Length; i++)
            {
                var net = CvDnn.ReadNetFromOnnx(recognizerPaths[i]) ?? throw new FaceModelException($"Could not load {recognizerPaths[i]}.");
                net.SetPreferableBackend(Backend.OPENCV);
                net.SetPreferableTarget(Target.CPU);
                _nets.Add((net, profiles[i]));
                using var probe = new Mat(profile.InputHeight, profile.InputWidth, MatType.CV_8UC3, Scalar.All(128));
                var emb = Forward(probe, i);
                if (emb.Length != profiles[i].OutputSize)
                {
                    throw new FaceModelException($"Model {recognizerPaths[i]} returned {emb.Length} values; the profile says {profiles[i].OutputSize}.");
                }
            }

            _ = GetDetector(DetectBucket, DetectBucket);
        }
        catch (OpenCVException ex)
        {
            throw new FaceModelException($"Face model failed to load ({ex.Message}). Run scripts/download-models.sh or set Face:ModelsPath.", ex);
        }
    }

    public string ModelVersion => _profile.EffectiveVersion;

    /// <summary>Decodes with the size/format guards. Returns null and a reason when refused.</summary>
    public Mat? Decode(ReadOnlySpan<byte> bytes, out FaceRefusalReason? reason, out int width, out int height)
    {
        width = height = 0;
        if (bytes.Length > _gates.MaxImageBytes)
        {
            reason = FaceRefusalReason.IMAGE_TOO_LARGE;
            return null;
        }

        var size = ImageHeader.TryReadSize(bytes);
        if (size is null)
        {
            reason = FaceRefusalReason.UNDECODABLE_IMAGE;
            return null;
        }

        (width, height) = size.Value;
        if ((long)width * height > _gates.MaxImagePixels || width > _gates.MaxImageSide || height > _gates.MaxImageSide)
        {
            reason = FaceRefusalReason.IMAGE_TOO_LARGE;
            return null;
        }

        Mat img;
        try
        {
            img = Cv2.ImDecode(bytes, ImreadModes.Color);
        }
        catch (OpenCVException)
        {
            reason = FaceRefusalReason.UNDECODABLE_IMAGE;
            return null;
        }

        if (img.Empty() || img.Width < 8 || img.Height < 8)
        {
            img.Dispose();
            reason = FaceRefusalReason.UNDECODABLE_IMAGE;
            return null;
        }

        width = img.Width;
        height = img.Height;
        reason = null;
        return img;
    }

    /// <summary>
    /// Full pipeline on encoded bytes. <paramref name="checkpoint"/>, when given, runs before each stage and may
    /// throw to abandon the work (its caller gave up): nothing of an abandoned extraction is returned.
    /// </summary>
    public FaceTemplateResult Extract(ReadOnlySpan<byte> bytes, ImageRole role, Action<FaceStage>? checkpoint = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        checkpoint?.Invoke(FaceStage.Decode);
        var sw = Stopwatch.StartNew();
        using var img = Decode(bytes, out var reason, out var w, out var h);
        var decodeMs = sw.Elapsed.TotalMilliseconds;
        if (img is null)
        {
            return Refused(reason!.Value, w, h, new FaceTimings(decodeMs, 0, 0, 0));
        }

        return Extract(img, role, decodeMs, checkpoint);
    }

    /// <summary>Full pipeline on a decoded BGR image; <paramref name="checkpoint"/> as for encoded bytes.</summary>
    public FaceTemplateResult Extract(Mat bgr, ImageRole role, double decodeMs = 0, Action<FaceStage>? checkpoint = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        checkpoint?.Invoke(FaceStage.Detect);
        var sw = Stopwatch.StartNew();
        var faces = Detect(bgr);
        var detectMs = sw.Elapsed.TotalMilliseconds;
        var reasons = new List<FaceRefusalReason>();
        var chosen = Select(faces, role, bgr.Width, bgr.Height, reasons);
        if (chosen is null)
        {
            return new FaceTemplateResult(null, [FaceRefusalReason.NO_FACE], null, faces, null, bgr.Width, bgr.Height, ModelVersion,
                new FaceTimings(decodeMs, detectMs, 0, 0));
        }

        checkpoint?.Invoke(FaceStage.Align);
        sw.Restart();
        using var aligned = Align(bgr, chosen);
        var quality = Measure(aligned, chosen);
        var alignMs = sw.Elapsed.TotalMilliseconds;
        ApplyGates(quality, reasons);
        checkpoint?.Invoke(FaceStage.Embed);
        sw.Restart();
        var embedding = Embed(aligned);
        var embedMs = sw.Elapsed.TotalMilliseconds;
        return new FaceTemplateResult(new FaceTemplate(embedding, ModelVersion), reasons, chosen, faces, quality, bgr.Width, bgr.Height,
            ModelVersion, new FaceTimings(decodeMs, detectMs, alignMs, embedMs));
    }

    private FaceTemplateResult Refused(FaceRefusalReason reason, int w, int h, FaceTimings t) =>
        new(null, [reason], null, [], null, w, h, ModelVersion, t);

    /// <summary>All faces above the detection threshold, in original-image coordinates, best score first.</summary>
    public IReadOnlyList<FaceBox> Detect(Mat bgr)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int w = bgr.Width, h = bgr.Height, longSide = Math.Max(w, h);
        double s = 1;
        if (longSide < _gates.UpscaleBelowPx)
        {
            s = Math.Min(4, Math.Ceiling((double)_gates.UpscaleBelowPx / longSide));
        }
        else if (longSide > _gates.DetectMaxSidePx)
        {
            s = (double)_gates.DetectMaxSidePx / longSide;
        }

        int sw = Math.Max(1, (int)Math.Round(w * s)), sh = Math.Max(1, (int)Math.Round(h * s));
        int bw = RoundUp(sw), bh = RoundUp(sh);
        using var canvas = new Mat(bh, bw, MatType.CV_8UC3, Scalar.All(0));
        using (var roi = new Mat(canvas, new Rect(0, 0, sw, sh)))
        {
            if (s == 1)
            {
                bgr.CopyTo(roi);
            }
            else
            {
                Cv2.Resize(bgr, roi, new Size(sw, sh), 0, 0, s < 1 ? InterpolationFlags.Area : InterpolationFlags.Linear);
            }
        }

        var det = GetDetector(bw, bh);
        using var output = new Mat();
        det.Detect(canvas, output);
        var list = new List<FaceBox>();
        if (output.Empty() || output.Cols < 15)
        {
            return list;
        }

        int rows = output.Rows, cols = output.Cols;
        var all = new float[rows * cols];
        using (var cont = output.IsContinuous() ? null : output.Clone())
        {
            Marshal.Copy((cont ?? output).Data, all, 0, all.Length);
        }

        for (var r = 0; r < rows; r++)
        {
            var row = all.AsSpan(r * cols, cols);
            var inv = (float)(1 / s);
            var lms = new FacePoint[5];
            for (var k = 0; k < 5; k++)
            {
                lms[k] = new FacePoint(row[4 + (2 * k)] * inv, row[5 + (2 * k)] * inv);
            }

            list.Add(new FaceBox(row[0] * inv, row[1] * inv, row[2] * inv, row[3] * inv, row[14], lms));
        }

        list.Sort((a, b) => b.Score.CompareTo(a.Score));
        return list;
    }

    private static int RoundUp(int v) => Math.Max(DetectBucket, (v + DetectBucket - 1) / DetectBucket * DetectBucket);

    private FaceDetectorYN GetDetector(int w, int h)
    {
        if (!_detectors.TryGetValue((w, h), out var d))
        {
            d = FaceDetectorYN.Create(_detectorPath, "", new Size(w, h), _gates.DetectionThreshold, 0.3f, 5000);
            _detectors[(w, h)] = d;
        }

        return d;
    }

    private FaceBox? Select(IReadOnlyList<FaceBox> faces, ImageRole role, int w, int h, List<FaceRefusalReason> reasons)
    {
        if (faces.Count == 0)
        {
            return null;
        }

        var confident = faces.Where(f => f.Score >= _gates.MinPhotoScore).ToList();
        var pool = confident.Count > 0 ? confident : faces.ToList();
        static double Area(FaceBox f) => (double)f.Width * f.Height;
        FaceBox chosen;
        if (role == ImageRole.CentredSubject)
        {
            var maxArea = pool.Max(Area);
            double cx = w / 2.0, cy = h / 2.0;
            chosen = pool.Where(f => Area(f) >= 0.2 * maxArea)
                .MinBy(f => Math.Pow(f.X + (f.Width / 2) - cx, 2) + Math.Pow(f.Y + (f.Height / 2) - cy, 2))!;
        }
        else
        {
            chosen = pool.MaxBy(Area)!;
        }

        if (confident.Count == 0)
        {
            reasons.Add(FaceRefusalReason.NOT_A_PHOTO);
        }

        if (role == ImageRole.Live && confident.Any(f => !ReferenceEquals(f, chosen) && Area(f) >= _gates.MultipleFaceAreaRatio * Area(chosen)))
        {
            reasons.Add(FaceRefusalReason.MULTIPLE_FACES);
        }

        return chosen;
    }

    /// <summary>Warps the face onto the 112x112 ArcFace template (BGR).</summary>
    public Mat Align(Mat bgr, FaceBox face)
    {
        var m = Similarity.Estimate(face.Landmarks, Similarity.ArcFaceTemplate);
        using var mat = Mat.FromPixelData(2, 3, MatType.CV_64FC1, m);
        var aligned = new Mat();
        Cv2.WarpAffine(bgr, aligned, mat, new Size(_profile.InputWidth, _profile.InputHeight), InterpolationFlags.Linear, BorderTypes.Constant, Scalar.All(0));
        return aligned;
    }

    private static FaceQuality Measure(Mat aligned, FaceBox face)
    {
        using var grey = new Mat();
        Cv2.CvtColor(aligned, grey, ColorConversionCodes.BGR2GRAY);
        using var centre = new Mat(grey, new Rect(grey.Width / 5, grey.Height / 4, grey.Width * 3 / 5, grey.Height * 3 / 5));
        using var lap = new Mat();
        Cv2.Laplacian(centre, lap, MatType.CV_64F);
        Cv2.MeanStdDev(lap, out _, out var sd);
        var sharp = sd.Val0 * sd.Val0;
        var brightness = Cv2.Mean(centre).Val0;
        using var sat = new Mat();
        Cv2.Threshold(centre, sat, 249, 255, ThresholdTypes.Binary);
        var satFrac = (double)Cv2.CountNonZero(sat) / (centre.Width * centre.Height);

        var l = face.Landmarks;
        FacePoint re = l[0], le = l[1], nose = l[2], rm = l[3], lm = l[4];
        double ex = le.X - re.X, ey = le.Y - re.Y;
        var iod = Math.Sqrt((ex * ex) + (ey * ey));
        double ux = iod > 0 ? ex / iod : 1, uy = iod > 0 ? ey / iod : 0;
        double mx = (re.X + le.X) / 2, my = (re.Y + le.Y) / 2;
        var yaw = iod > 0 ? (((nose.X - mx) * ux) + ((nose.Y - my) * uy)) / iod : 0;
        var roll = Math.Atan2(ey, ex) * 180 / Math.PI;
        double mouthX = (rm.X + lm.X) / 2, mouthY = (rm.Y + lm.Y) / 2;
        // Perpendicular distances from the eye line: nose / mouth.
        var noseDown = (-(nose.X - mx) * uy) + ((nose.Y - my) * ux);
        var mouthDown = (-(mouthX - mx) * uy) + ((mouthY - my) * ux);
        var pitch = mouthDown > 0 ? noseDown / mouthDown : 0;
        return new FaceQuality(face.Score, face.Width, iod, sharp, brightness, satFrac, yaw, roll, pitch);
    }

    private void ApplyGates(FaceQuality q, List<FaceRefusalReason> reasons)
    {
        if (q.FaceWidthPx < _gates.MinFaceWidthPx)
        {
            reasons.Add(FaceRefusalReason.FACE_TOO_SMALL);
        }

        if (Math.Abs(q.Yaw) > _gates.MaxYaw || Math.Abs(q.RollDegrees) > _gates.MaxRollDegrees)
        {
            reasons.Add(FaceRefusalReason.EXTREME_POSE);
        }

        if (q.Brightness < _gates.MinBrightness)
        {
            reasons.Add(FaceRefusalReason.TOO_DARK);
        }
        else if (q.Brightness > _gates.MaxBrightness || q.SaturatedFraction > _gates.MaxSaturatedFraction)
        {
            reasons.Add(FaceRefusalReason.OVEREXPOSED);
        }
        else if (q.Sharpness < _gates.MinSharpness)
        {
            // Dark/overexposed faces have little texture anyway; report blur only when exposure is fine.
            reasons.Add(FaceRefusalReason.TOO_BLURRY);
        }
    }

    /// <summary>L2-normalised embedding of an aligned face (flip fusion and model fusion per profile).</summary>
    public float[] Embed(Mat aligned)
    {
        using var flipped = new Mat();
        if (_profile.FlipFusion)
        {
            Cv2.Flip(aligned, flipped, FlipMode.Y);
        }

        var result = new float[_profile.TemplateSize];
        var offset = 0;
        for (var n = 0; n < _nets.Count; n++)
        {
            var v = Forward(aligned, n);
            if (_profile.FlipFusion)
            {
                var f = Forward(flipped, n);
                for (var i = 0; i < v.Length; i++)
                {
                    v[i] += f[i];
                }
            }

            Normalise(v);
            v.CopyTo(result, offset);
            offset += v.Length;
        }

        Normalise(result);
        return result;
    }

    /// <summary>One raw inference of network <paramref name="index"/> (no flip, no normalisation).</summary>
    public float[] Forward(Mat aligned, int index = 0)
    {
        var (net, profile) = _nets[index];
        var swap = string.Equals(profile.ChannelOrder, "RGB", StringComparison.OrdinalIgnoreCase);
        using var blob = CvDnn.BlobFromImage(aligned, profile.Scale, new Size(profile.InputWidth, profile.InputHeight),
            Scalar.All(profile.Mean), swap, false);
        net.SetInput(blob);
        using var output = net.Forward();
        var n = (int)output.Total();
        var result = new float[n];
        using var cont = output.IsContinuous() ? null : output.Clone();
        Marshal.Copy((cont ?? output).Data, result, 0, n);
        return result;
    }

    /// <summary>Number of recognition networks (2 with model fusion).</summary>
    public int NetworkCount => _nets.Count;

    public static void Normalise(float[] v)
    {
        double sum = 0;
        foreach (var x in v)
        {
            sum += x * x;
        }

        var norm = Math.Sqrt(sum);
        if (norm <= 0)
        {
            return;
        }

        for (var i = 0; i < v.Length; i++)
        {
            v[i] = (float)(v[i] / norm);
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var (net, _) in _nets)
        {
            net.Dispose();
        }

        foreach (var d in _detectors.Values)
        {
            d.Dispose();
        }

        _detectors.Clear();
    }
}
