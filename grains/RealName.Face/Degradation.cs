using System.Globalization;
using OpenCvSharp;

namespace RealName.Face;

/// <summary>How a photo is made worse on purpose, to measure where a quality gate should refuse.</summary>
public enum DegradationKind
{
    /// <summary>Gaussian blur; level = sigma in pixels.</summary>
    Blur,

    /// <summary>Downscale; level = factor (0.5 halves both sides, so the face is half as wide).</summary>
    Scale,

    /// <summary>Multiply every pixel; level = gain (0.3 darkens, 1.8 brightens and clips).</summary>
    Gain,

    /// <summary>In-plane rotation about the centre; level = degrees.</summary>
    Rotate,
}

/// <summary>One degradation at one level, written <c>kind:level</c> (e.g. <c>blur:2.5</c>).</summary>
public sealed record Degradation(DegradationKind Kind, double Level)
{
    public static Degradation Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split(':');
        if (parts.Length != 2 || !Enum.TryParse<DegradationKind>(parts[0], ignoreCase: true, out var kind) ||
            !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var level))
        {
            throw new FormatException($"'{text}' is not a degradation: use blur:SIGMA, scale:FACTOR, gain:FACTOR or rotate:DEGREES.");
        }

        return new Degradation(kind, level);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Kind.ToString().ToLowerInvariant()}:{Level}");

    /// <summary>A new, degraded copy of a BGR image.</summary>
    public Mat Apply(Mat bgr)
    {
        ArgumentNullException.ThrowIfNull(bgr);
        var result = new Mat();
        switch (Kind)
        {
            case DegradationKind.Blur:
                Cv2.GaussianBlur(bgr, result, new Size(0, 0), Level);
                break;
            case DegradationKind.Scale:
                Cv2.Resize(bgr, result, new Size(Math.Max(8, (int)Math.Round(bgr.Width * Level)), Math.Max(8, (int)Math.Round(bgr.Height * Level))), 0, 0,
                    InterpolationFlags.Area);
                break;
            case DegradationKind.Gain:
                bgr.ConvertTo(result, MatType.CV_8UC3, Level);
                break;
            case DegradationKind.Rotate:
                using (var m = Cv2.GetRotationMatrix2D(new Point2f(bgr.Width / 2f, bgr.Height / 2f), Level, 1))
                {
                    Cv2.WarpAffine(bgr, result, m, bgr.Size(), InterpolationFlags.Linear, BorderTypes.Replicate);
                }

                break;
            default:
                throw new InvalidOperationException($"Unknown degradation {Kind}.");
        }

        return result;
    }
}
