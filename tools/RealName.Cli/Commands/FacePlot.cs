using OpenCvSharp;
using RealName.Face;

namespace RealName.Cli.Commands;

/// <summary>ROC (TAR vs log10 FAR) next to score histograms, as one PNG.</summary>
internal static class FacePlot
{
    public static void Write(string path, string title, IReadOnlyList<ScoredPair> pairs, DecisionThresholds thresholds)
    {
        var gen = pairs.Where(p => p.Same).Select(p => p.Score ?? -1).ToArray();
        var imp = pairs.Where(p => !p.Same).Select(p => p.Score ?? -1).ToArray();

        // ROC over all distinct thresholds.
        var thresholdsSorted = gen.Concat(imp).Distinct().OrderDescending().ToArray();
        var fars = new List<double>();
        var tars = new List<double>();
        var minFar = 1.0 / Math.Max(1, imp.Length);
        foreach (var t in thresholdsSorted)
        {
            var far = (double)imp.Count(s => s >= t) / Math.Max(1, imp.Length);
            var tar = (double)gen.Count(s => s >= t) / Math.Max(1, gen.Length);
            fars.Add(Math.Log10(Math.Max(far, minFar / 2)));
            tars.Add(tar);
        }

        var roc = new ScottPlot.Plot();
        var line = roc.Add.ScatterLine(fars.ToArray(), tars.ToArray());
        line.LegendText = "ROC";
        roc.Title(title + " ROC");
        roc.XLabel("log10 FAR");
        roc.YLabel("TAR");

        var hist = new ScottPlot.Plot();
        const int bins = 40;
        double lo = -0.3, hi = 1.0, width = (hi - lo) / bins;
        var xs = Enumerable.Range(0, bins).Select(i => lo + ((i + 0.5) * width)).ToArray();
        double[] Density(double[] v) => Enumerable.Range(0, bins)
            .Select(i => (double)v.Count(s => s >= lo + (i * width) && s < lo + ((i + 1) * width)) / Math.Max(1, v.Length)).ToArray();
        var g = hist.Add.ScatterLine(xs, Density(gen));
        g.LegendText = $"genuine ({gen.Length})";
        var im = hist.Add.ScatterLine(xs, Density(imp));
        im.LegendText = $"impostor ({imp.Length})";
        var vm = hist.Add.VerticalLine(thresholds.Match);
        vm.LegendText = $"MATCH >= {thresholds.Match:F3}";
        var vr = hist.Add.VerticalLine(thresholds.Review);
        vr.LegendText = $"REVIEW >= {thresholds.Review:F3}";
        vr.LinePattern = ScottPlot.LinePattern.Dashed;
        hist.ShowLegend();
        hist.Title(title + " scores");
        hist.XLabel("cosine score");
        hist.YLabel("share of pairs");

        WriteSideBySide(path, roc, hist);
    }

    /// <summary>Plots of 480x360 each, left to right, as one PNG.</summary>
    public static void WriteSideBySide(string path, params ScottPlot.Plot[] plots)
    {
        var images = plots.Select(p => Cv2.ImDecode(p.GetImageBytes(480, 360, ScottPlot.ImageFormat.Png), ImreadModes.Color)).ToArray();
        try
        {
            using var all = new Mat();
            Cv2.HConcat(images, all);
            Cv2.ImWrite(path, all, new ImageEncodingParam(ImwriteFlags.PngCompression, 9));
        }
        finally
        {
            foreach (var image in images)
            {
                image.Dispose();
            }
        }
    }
}
