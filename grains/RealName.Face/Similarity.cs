namespace RealName.Face;

/// <summary>Least-squares 2-D similarity transform (rotation, uniform scale, translation; no reflection).</summary>
public static class Similarity
{
    /// <summary>The ArcFace 112x112 5-point template: right eye, left eye, nose, right mouth, left mouth.</summary>
    public static IReadOnlyList<FacePoint> ArcFaceTemplate { get; } =
    [
        new(38.2946f, 51.6963f),
        new(73.5318f, 51.5014f),
        new(56.0252f, 71.7366f),
        new(41.5493f, 92.3655f),
        new(70.7299f, 92.2041f),
    ];

    /// <summary>
    /// Solves dst ~ [a -b; b a] src + t in the least-squares sense (closed form, Umeyama without reflection).
    /// Returns the 2x3 row-major matrix {a, -b, tx, b, a, ty}.
    /// </summary>
    public static double[] Estimate(IReadOnlyList<FacePoint> src, IReadOnlyList<FacePoint> dst)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(src.Count, dst.Count);
        ArgumentOutOfRangeException.ThrowIfLessThan(src.Count, 2);
        int n = src.Count;
        double msx = 0, msy = 0, mdx = 0, mdy = 0;
        for (var i = 0; i < n; i++)
        {
            msx += src[i].X;
            msy += src[i].Y;
            mdx += dst[i].X;
            mdy += dst[i].Y;
        }

        msx /= n;
        msy /= n;
        mdx /= n;
        mdy /= n;
        double num1 = 0, num2 = 0, den = 0;
        for (var i = 0; i < n; i++)
        {
            double xs = src[i].X - msx, ys = src[i].Y - msy, xd = dst[i].X - mdx, yd = dst[i].Y - mdy;
            num1 += (xs * xd) + (ys * yd);
            num2 += (xs * yd) - (ys * xd);
            den += (xs * xs) + (ys * ys);
        }

        if (den <= 1e-12)
        {
            throw new ArgumentException("Degenerate landmarks.", nameof(src));
        }

        var a = num1 / den;
        var b = num2 / den;
        var tx = mdx - ((a * msx) - (b * msy));
        var ty = mdy - ((b * msx) + (a * msy));
        return [a, -b, tx, b, a, ty];
    }
}
