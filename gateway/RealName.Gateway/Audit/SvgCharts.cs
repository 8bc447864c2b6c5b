using System.Globalization;
using System.Net;
using System.Text;

namespace RealName.Gateway.Audit;

/// <summary>One bar or point of a chart.</summary>
public sealed record ChartItem(string Label, double? Value, bool Highlight = false, string? Note = null);

/// <summary>A horizontal reference line (mean, floor) on a rate chart.</summary>
public sealed record ChartLine(string Label, double Value, string Color);

/// <summary>
/// Small server-rendered SVG charts for the report page: no scripts, no external resources, so the page
/// works offline and prints as it looks.
/// </summary>
public static class SvgCharts
{
    private const string Font = "font-family=\"sans-serif\" font-size=\"11\"";
    private const int Left = 48;
    private const int Top = 24;
    private const int Bottom = 70;

    /// <summary>A rate (0-1) over time as a line with dots; gaps where a bucket had nothing compared.</summary>
    public static string RateLine(string id, string title, IReadOnlyList<ChartItem> points, IReadOnlyList<ChartLine> lines)
    {
        var width = Math.Max(480, Left + 20 + (points.Count * 48));
        const int height = 260;
        var (lo, hi) = RateRange(points.Select(p => p.Value), lines.Select(l => l.Value));
        var plotH = height - Top - Bottom;
        var step = points.Count > 1 ? (width - Left - 20) / (double)(points.Count - 1) : 0;
        double X(int i) => points.Count > 1 ? Left + (i * step) : Left + ((width - Left - 20) / 2.0);
        double Y(double v) => Top + plotH - ((v - lo) / (hi - lo) * plotH);

        var svg = Begin(id, title, width, height);
        RateAxis(svg, lo, hi, width, Y);
        foreach (var line in lines)
        {
            ReferenceLine(svg, line, width, Y(line.Value));
        }

        var path = new StringBuilder();
        var pen = 'M';
        for (var i = 0; i < points.Count; i++)
        {
            if (points[i].Value is { } v)
            {
                path.Append(Inv($"{pen}{X(i):0.#},{Y(v):0.#} "));
                pen = 'L';
            }
            else
            {
                pen = 'M';
            }
        }

        svg.Append(Inv($"<path class=\"series\" d=\"{path.ToString().TrimEnd()}\" fill=\"none\" stroke=\"#1f6feb\" stroke-width=\"2\"/>"));
        for (var i = 0; i < points.Count; i++)
        {
            var p = points[i];
            if (p.Value is { } v)
            {
                svg.Append(Inv($"<circle class=\"point\" cx=\"{X(i):0.#}\" cy=\"{Y(v):0.#}\" r=\"4\" fill=\"{(p.Highlight ? "#d1242f" : "#1f6feb")}\"><title>{E(p.Label)}: {v:P1}</title></circle>"));
            }

            svg.Append(Inv($"<text x=\"{X(i):0.#}\" y=\"{height - Bottom + 16}\" {Font} text-anchor=\"end\" transform=\"rotate(-40 {X(i):0.#} {height - Bottom + 16})\">{E(p.Label)}</text>"));
        }

        return End(svg);
    }

    /// <summary>Rates per category as vertical bars; highlighted bars (outliers) are red.</summary>
    public static string RateBars(string id, string title, IReadOnlyList<ChartItem> bars, IReadOnlyList<ChartLine> lines)
    {
        var slot = bars.Count > 60 ? 8 : 28;
        var width = Math.Max(480, Left + 20 + (bars.Count * slot));
        const int height = 300;
        var (lo, hi) = RateRange(bars.Select(b => b.Value), lines.Select(l => l.Value));
        var plotH = height - Top - Bottom;
        double Y(double v) => Top + plotH - ((v - lo) / (hi - lo) * plotH);

        var svg = Begin(id, title, width, height);
        RateAxis(svg, lo, hi, width, Y);
        for (var i = 0; i < bars.Count; i++)
        {
            var b = bars[i];
            if (b.Value is not { } v)
            {
                continue;
            }

            var x = Left + (i * slot) + 1;
            var y = Y(v);
            var css = b.Highlight ? "bar outlier" : "bar";
            svg.Append(Inv($"<rect class=\"{css}\" x=\"{x}\" y=\"{y:0.#}\" width=\"{slot - 2}\" height=\"{Top + plotH - y:0.#}\" fill=\"{(b.Highlight ? "#d1242f" : "#57a0ff")}\"><title>{E(b.Label)}: {v:P1}{E(b.Note is null ? "" : " (" + b.Note + ")")}</title></rect>"));
            if (slot >= 20 || b.Highlight)
            {
                var lx = x + (slot / 2.0);
                svg.Append(Inv($"<text x=\"{lx:0.#}\" y=\"{Top + plotH + 14}\" {Font} text-anchor=\"end\" transform=\"rotate(-50 {lx:0.#} {Top + plotH + 14})\"{(b.Highlight ? " fill=\"#d1242f\"" : "")}>{E(b.Label)}</text>"));
            }
        }

        foreach (var line in lines)
        {
            ReferenceLine(svg, line, width, Y(line.Value));
        }

        return End(svg);
    }

    /// <summary>Counts as horizontal bars (refusal reasons, the re-review funnel).</summary>
    public static string CountBars(string id, string title, IReadOnlyList<ChartItem> bars, string color)
    {
        const int labelWidth = 190;
        const int width = 620;
        const int row = 24;
        var height = Top + 10 + (Math.Max(1, bars.Count) * row);
        var max = Math.Max(1, bars.Max(b => b.Value) ?? 0);
        var svg = Begin(id, title, width, height);
        if (bars.Count == 0)
        {
            svg.Append(Inv($"<text x=\"{Left}\" y=\"{Top + 16}\" {Font}>no events in the period</text>"));
        }

        for (var i = 0; i < bars.Count; i++)
        {
            var b = bars[i];
            var v = b.Value ?? 0;
            var y = Top + (i * row);
            var w = (width - labelWidth - 70) * v / max;
            svg.Append(Inv($"<text x=\"{labelWidth - 6}\" y=\"{y + 15}\" {Font} text-anchor=\"end\">{E(b.Label)}</text>"));
            svg.Append(Inv($"<rect class=\"bar\" x=\"{labelWidth}\" y=\"{y + 3}\" width=\"{Math.Max(w, 1):0.#}\" height=\"{row - 6}\" fill=\"{(b.Highlight ? "#d1242f" : color)}\"><title>{E(b.Label)}: {v:0}</title></rect>"));
            svg.Append(Inv($"<text x=\"{labelWidth + w + 6:0.#}\" y=\"{y + 15}\" {Font}>{v:0}{E(b.Note is null ? "" : "  " + b.Note)}</text>"));
        }

        return End(svg);
    }

    private static (double Lo, double Hi) RateRange(IEnumerable<double?> values, IEnumerable<double> lines)
    {
        var all = values.Where(v => v.HasValue).Select(v => v!.Value).Concat(lines).ToList();
        if (all.Count == 0)
        {
            return (0, 1);
        }

        // Zoom in on the interesting band but keep round 10% steps; never above 100%.
        var lo = Math.Floor(Math.Max(0, all.Min() - 0.05) * 10) / 10;
        return (Math.Min(lo, 0.9), 1);
    }

    private static void RateAxis(StringBuilder svg, double lo, double hi, int width, Func<double, double> y)
    {
        var step = hi - lo > 0.5 ? 0.2 : 0.05;
        for (var v = lo; v <= hi + 1e-9; v += step)
        {
            svg.Append(Inv($"<line x1=\"{Left}\" x2=\"{width - 10}\" y1=\"{y(v):0.#}\" y2=\"{y(v):0.#}\" stroke=\"#e5e7eb\"/>"));
            svg.Append(Inv($"<text x=\"{Left - 6}\" y=\"{y(v) + 4:0.#}\" {Font} text-anchor=\"end\">{v:P0}</text>"));
        }
    }

    private static void ReferenceLine(StringBuilder svg, ChartLine line, int width, double y)
    {
        svg.Append(Inv($"<line class=\"reference\" x1=\"{Left}\" x2=\"{width - 10}\" y1=\"{y:0.#}\" y2=\"{y:0.#}\" stroke=\"{line.Color}\" stroke-dasharray=\"5 4\"/>"));
        svg.Append(Inv($"<text x=\"{width - 12}\" y=\"{y - 4:0.#}\" {Font} text-anchor=\"end\" fill=\"{line.Color}\">{E(line.Label)} {line.Value:P1}</text>"));
    }

    private static StringBuilder Begin(string id, string title, int width, int height) =>
        new StringBuilder().Append(Inv(
            $"<svg id=\"{E(id)}\" class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{E(title)}\"><title>{E(title)}</title>"));

    private static string End(StringBuilder svg) => svg.Append("</svg>").ToString();

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
