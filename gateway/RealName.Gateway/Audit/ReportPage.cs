using System.Globalization;
using System.Net;
using System.Text;
using RealName.Gateway.Hosting;
using RealName.Rules;
using RealName.Storage.Reads;

namespace RealName.Gateway.Audit;

/// <summary>Settings of the report page, bound from configuration section "Audit".</summary>
public sealed class AuditOptions
{
    public const string Section = "Audit";

    /// <summary>Outlets whose consistency rate is below this are flagged, whatever the spread (default 0.90).</summary>
    [System.ComponentModel.DataAnnotations.Range(0.0, 1.0, ErrorMessage = "Audit:ConsistencyFloor must be between {1} and {2}.")]
    public double ConsistencyFloor { get; set; } = 0.90;

    /// <summary>Outlets with fewer face comparisons than this are not used for the mean and spread, nor flagged by the spread rule.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 1_000_000, ErrorMessage = "Audit:MinimumComparedForSpread must be between {1} and {2}.")]
    public int MinimumComparedForSpread { get; set; } = 1;
}

/// <summary>An outlet's figures on the page, with the outlier verdict.</summary>
public sealed record OutletFigures(ReportRowData Row, bool Outlier, string? Why);

/// <summary>
/// Renders the auditors' HTML report: figures, SVG charts and CSV links, in Simplified Chinese by default and English
/// on the toggle (texts from ReportText*.resx). No scripts, no external resources; wide tables scroll in their own box.
/// </summary>
public static class ReportPage
{
    /// <summary>The report's texts (neutral: zh-CN; ReportText.en.resx: English).</summary>
    public static readonly System.Resources.ResourceManager Texts = new("RealName.Gateway.Audit.ReportText", typeof(ReportPage).Assembly);

    private const string Style = """
        body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:24px;color:#1f2328;max-width:1200px}
        h1{font-size:22px;margin:0 0 4px} h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
        table{border-collapse:collapse;font-size:13px} th,td{border:1px solid #d0d7de;padding:3px 8px;text-align:right}
        th{background:#f6f8fa} td{white-space:nowrap} td.l,th.l{text-align:left;white-space:nowrap} h3{font-size:14px;margin:4px 0} tr.outlier td{background:#ffebe9;color:#82071e}
        .muted{color:#57606a;font-size:13px} .charts{display:flex;flex-wrap:wrap;gap:24px} .scroll{overflow-x:auto;max-width:100%}
        form.inline{display:inline} input,select,button{font-size:14px;padding:3px 6px} .links a{margin-right:14px}
        """;

    public static string Login(PageLanguage t, string? error)
    {
        var html = new StringBuilder();
        Head(html, t, t["LoginTitle"]);
        return SignInForm.Append(html, t, t["ReportsTitle"], "/reports/login", error).ToString();
    }

    public static string Render(
        PageLanguage t,
        ConsistencyReportData overTime,
        ConsistencyReportData perOutlet,
        ConsistencyReportData perClerk,
        IReadOnlyList<OutletFigures> outlets,
        double? outletMean,
        double? outletSd,
        AuditOptions options,
        string queryString,
        CivilCalendar calendar)
    {
        var q = overTime.Query;
        var total = overTime.Total;
        var html = new StringBuilder();
        var bucket = t["Bucket_" + q.Bucket.ToString().ToLowerInvariant()];
        Head(html, t, t["ReportTitle"]);
        html.Append("<div class=\"links\"><h1>").Append(E(t["ReportHeading"])).Append("</h1><a id=\"language\" href=\"/reports?").Append(queryString).Append("&lang=")
            .Append(t.OtherTag).Append("\">").Append(E(t["OtherLanguage"])).Append("</a></div>");
        html.Append("<p class=\"muted\">").Append(E(t.Format("Period", ReportQueryParser.Day(q.From, calendar), ReportQueryParser.Day(q.To.AddTicks(-1), calendar), calendar.Label, bucket))).Append("</p>");

        html.Append("<form method=\"get\" action=\"/reports\">")
            .Append(E(t["From"])).Append(Inv($" <input name=\"from\" type=\"date\" value=\"{ReportQueryParser.Day(q.From, calendar)}\"> "))
            .Append(E(t["ToExclusive"])).Append(Inv($" <input name=\"to\" type=\"date\" value=\"{ReportQueryParser.Day(q.To, calendar)}\"> "))
            .Append(E(t["By"])).Append(" <select name=\"bucket\">");
        foreach (var b in new[] { ReportBucket.Day, ReportBucket.Week, ReportBucket.Month })
        {
            var name = b.ToString().ToLowerInvariant();
            html.Append(Inv($"<option value=\"{name}\"{(b == q.Bucket ? " selected" : "")}>{E(t["Bucket_" + name])}</option>"));
        }

        html.Append("</select> <button type=\"submit\">").Append(E(t["Show"])).Append("</button></form> ")
            .Append("<form class=\"inline\" method=\"post\" action=\"/reports/logout\"><button type=\"submit\">").Append(E(t["SignOut"])).Append("</button></form>");

        html.Append("<h2>").Append(E(t["Totals"])).Append("</h2><div class=\"scroll\"><table id=\"totals\"><tr>");
        foreach (var (key, _) in Figures(total, t))
        {
            html.Append("<th>").Append(E(t[FigureText(key)])).Append("</th>");
        }

        html.Append("</tr><tr>");
        foreach (var (key, value) in Figures(total, t))
        {
            html.Append("<td data-figure=\"").Append(E(key)).Append("\">").Append(E(value)).Append("</td>");
        }

        html.Append("</tr></table></div>");

        html.Append("<div class=\"links\"><h2>").Append(E(t["Csv"])).Append("</h2>")
            .Append(Inv($"<a id=\"csv-time\" href=\"/reports/consistency.csv?{queryString}&dimension=none\">{E(t.Format("CsvByTime", bucket))}</a>"))
            .Append(Inv($"<a id=\"csv-outlet\" href=\"/reports/consistency.csv?{queryString}&dimension=outlet\">{E(t.Format("CsvByOutlet", bucket))}</a>"))
            .Append(Inv($"<a href=\"/reports/consistency.csv?{queryString}&dimension=clerk\">{E(t.Format("CsvByClerk", bucket))}</a>"))
            .Append(Inv($"<a href=\"/reports/consistency.csv?{queryString}&dimension=channel_kind\">{E(t["CsvByChannel"])}</a>"))
            .Append(Inv($"<a href=\"/reports/consistency.csv?{queryString}&dimension=carrier\">{E(t["CsvByCarrier"])}</a>"))
            .Append(Inv($"<a href=\"/reports/consistency.csv?{queryString}&dimension=region\">{E(t["CsvByRegion"])}</a>"))
            .Append(Inv($"<a href=\"/reports/consistency.csv?{queryString}&dimension=card_type\">{E(t["CsvByCardType"])}</a>"))
            .Append(Inv($"<a id=\"csv-events\" href=\"/reports/events.csv?{queryString}\">{E(t["CsvEvents"])}</a>"))
            .Append("</div>");

        html.Append("<h2>").Append(E(t["Charts"])).Append("</h2><div class=\"charts\">");
        var lines = new List<ChartLine> { new(t["Line_floor"], options.ConsistencyFloor, "#d1242f") };
        html.Append("<div class=\"scroll\"><h3>").Append(E(t["ChartRateTime"])).Append("</h3>").Append(SvgCharts.RateLine(
            "chart-rate-time",
            t["ChartRateTime"],
            overTime.Rows.Select(r => new ChartItem(r.BucketLabel, r.ConsistencyRate, r.ConsistencyRate < options.ConsistencyFloor)).ToList(),
            lines)).Append("</div>");

        var outletLines = new List<ChartLine>(lines);
        if (outletMean is { } mean)
        {
            outletLines.Add(new ChartLine(t["Line_mean"], mean, "#1a7f37"));
            if (outletSd is { } sd && sd > 0)
            {
                outletLines.Add(new ChartLine(t["Line_mean_2sd"], mean - (2 * sd), "#9a6700"));
            }
        }

        html.Append("<div class=\"scroll\"><h3>").Append(E(t["ChartRateOutletHeading"])).Append("</h3>").Append(SvgCharts.RateBars(
            "chart-rate-outlet",
            t["ChartRateOutlet"],
            outlets.OrderBy(o => o.Row.ConsistencyRate ?? 2).Select(o => new ChartItem(o.Row.DimensionValue, o.Row.ConsistencyRate, o.Outlier, WhyText(t, o.Why))).ToList(),
            outletLines)).Append("</div>");

        html.Append("<div class=\"scroll\"><h3>").Append(E(t["ChartRefusals"])).Append("</h3>").Append(SvgCharts.CountBars(
            "chart-refusals",
            t["ChartRefusals"],
            total.RefusalsByReason.OrderByDescending(r => r.Value).Select(r => new ChartItem(r.Key, r.Value)).ToList(),
            "#8250df")).Append("</div>");

        html.Append("<div class=\"scroll\"><h3>").Append(E(t["ChartFunnel"])).Append("</h3>").Append(SvgCharts.CountBars(
            "chart-funnel",
            t["ChartFunnel"],
            [
                new ChartItem(t["Funnel_triggered"], total.ReReviewsTriggered),
                new ChartItem(t["Funnel_passed"], total.ReReviewsPassed),
                new ChartItem(t["Funnel_failed"], total.ReReviewsFailed, Highlight: total.ReReviewsFailed > 0),
                new ChartItem(t["Funnel_overdue"], total.ReReviewsOverdue, Highlight: total.ReReviewsOverdue > 0),
                new ChartItem(t["Funnel_suspensions"], total.Suspensions),
                new ChartItem(t["Funnel_restorations"], total.Restorations),
            ],
            "#1f6feb")).Append("</div>");
        html.Append("<div class=\"scroll\"><h3>").Append(E(t["ChartFaceLinkedOutlet"])).Append("</h3>").Append(FlaggedBars("chart-face-linked-outlet", t["ChartFaceLinkedOutlet"], perOutlet.Rows)).Append("</div>");
        html.Append("<div class=\"scroll\"><h3>").Append(E(t["ChartFaceLinkedClerk"])).Append("</h3>").Append(FlaggedBars("chart-face-linked-clerk", t["ChartFaceLinkedClerk"], perClerk.Rows)).Append("</div>");
        html.Append("</div>");

        html.Append("<h2>").Append(E(t.Format("ByBucket", bucket))).Append("</h2>");
        Table(html, t, "by-time", t["Key_bucket"], overTime.Rows, r => r.BucketLabel, _ => null);

        html.Append("<h2>").Append(E(t["PerOutlet"])).Append("</h2>");
        html.Append("<p class=\"muted\">").Append(E(t.Format("OutlierFloor", Percent(options.ConsistencyFloor))));
        if (outletMean is { } m && outletSd is { } s)
        {
            html.Append(E(t.Format("OutlierSpread", Percent(m), Percent(s), Percent(m - (2 * s)), options.MinimumComparedForSpread)));
        }

        html.Append(E(t["FraudNote"])).Append("</p>");
        var outletById = outlets.ToDictionary(o => o.Row.DimensionValue, StringComparer.Ordinal);
        Table(html, t, "by-outlet", t["Key_outlet"], perOutlet.Rows.OrderBy(r => r.ConsistencyRate ?? 2).ToList(), r => r.DimensionValue,
            r => outletById.TryGetValue(r.DimensionValue, out var o) && o.Outlier ? WhyText(t, o.Why) : null,
            r => Inv($"<a href=\"/reports/fraud.csv?outlet={WebUtility.UrlEncode(r.DimensionValue)}\">{E(t["FraudCsv"])}</a>"));

        html.Append("</body></html>");
        return html.ToString();
    }

    /// <summary>
    /// The outlets or clerks with registrations later linked to a face cluster, most first (at most 20); red where some of
    /// those numbers also have a confirmed fraud report.
    /// </summary>
    private static string FlaggedBars(string id, string title, IReadOnlyList<ReportRowData> rows) => SvgCharts.CountBars(
        id,
        title,
        rows.Where(r => r.FaceLinkedRegistrations > 0)
            .OrderByDescending(r => r.FaceLinkedRegistrations).ThenBy(r => r.DimensionValue, StringComparer.Ordinal)
            .Take(20)
            .Select(r => new ChartItem(r.DimensionValue.Length == 0 ? "(none)" : r.DimensionValue, r.FaceLinkedRegistrations, Highlight: r.FraudConfirmedRegistrations > 0))
            .ToList(),
        "#bc4c00");

    /// <summary>Flags outlets below the floor or below mean - 2 sd (population sd over outlets with enough comparisons).</summary>
    public static (IReadOnlyList<OutletFigures> Outlets, double? Mean, double? Sd) Outliers(IReadOnlyList<ReportRowData> rows, AuditOptions options)
    {
        var rates = rows.Where(r => r.FaceCompared >= Math.Max(1, options.MinimumComparedForSpread)).Select(r => r.ConsistencyRate!.Value).ToList();
        double? mean = rates.Count > 0 ? rates.Average() : null;
        double? sd = rates.Count > 1 ? Math.Sqrt(rates.Sum(r => (r - mean!.Value) * (r - mean.Value)) / rates.Count) : null;
        var result = rows.Select(r =>
        {
            if (r.ConsistencyRate is not { } rate)
            {
                return new OutletFigures(r, false, null);
            }

            if (rate < options.ConsistencyFloor)
            {
                return new OutletFigures(r, true, "below floor");
            }

            if (mean is { } m && sd is { } s && s > 0 && r.FaceCompared >= options.MinimumComparedForSpread && rate < m - (2 * s))
            {
                return new OutletFigures(r, true, "below mean - 2 sd");
            }

            return new OutletFigures(r, false, null);
        }).ToList();
        return (result, mean, sd);
    }

    private static void Table(
        StringBuilder html, PageLanguage t, string id, string keyLabel, IReadOnlyList<ReportRowData> rows, Func<ReportRowData, string> key,
        Func<ReportRowData, string?> flag, Func<ReportRowData, string>? extra = null)
    {
        html.Append("<div class=\"scroll\"><table id=\"").Append(id).Append("\"><tr><th class=\"l\">").Append(E(keyLabel)).Append("</th>");
        foreach (var (figure, _) in Figures(new ReportRowData(), t))
        {
            html.Append("<th>").Append(E(t[FigureText(figure)])).Append("</th>");
        }

        html.Append("<th class=\"l\">").Append(E(t["Flag"])).Append("</th>");
        if (extra is not null)
        {
            html.Append("<th class=\"l\">").Append(E(t["DrillDown"])).Append("</th>");
        }

        html.Append("</tr>");
        foreach (var row in rows)
        {
            var why = flag(row);
            html.Append(why is null ? "<tr>" : "<tr class=\"outlier\">").Append("<td class=\"l\">").Append(E(key(row))).Append("</td>");
            foreach (var (_, value) in Figures(row, t))
            {
                html.Append("<td>").Append(E(value)).Append("</td>");
            }

            html.Append("<td class=\"l\">").Append(E(why ?? "")).Append("</td>");
            if (extra is not null)
            {
                html.Append("<td class=\"l\">").Append(extra(row)).Append("</td>");
            }

            html.Append("</tr>");
        }

        html.Append("</table></div>");
    }

    /// <summary>Each figure by its stable key (the cells' data-figure) and value; <see cref="FigureText"/> names its header.</summary>
    private static IEnumerable<(string Key, string Value)> Figures(ReportRowData r, PageLanguage t)
    {
        yield return ("registrations", N(r.Registrations));
        yield return ("approved", N(r.RegistrationsApproved));
        yield return ("face compared", N(r.FaceCompared));
        yield return ("matched", N(r.FaceMatched));
        yield return ("consistency rate", r.ConsistencyRate is { } rate ? Percent(rate) : t["NotAvailable"]);
        yield return ("manual reviews", N(r.ManualReviews));
        yield return ("reviews approved", N(r.ReviewsApproved));
        yield return ("reviews rejected", N(r.ReviewsRejected));
        yield return ("refusals", N(r.Refusals));
        yield return ("re-reviews", N(r.ReReviewsTriggered));
        yield return ("passed", N(r.ReReviewsPassed));
        yield return ("failed", N(r.ReReviewsFailed));
        yield return ("overdue", N(r.ReReviewsOverdue));
        yield return ("suspensions", N(r.Suspensions));
        yield return ("restorations", N(r.Restorations));
        yield return ("fraud-linked numbers", N(r.FraudReportedNumbers));
        yield return ("face-cluster registrations", N(r.FaceLinkedRegistrations));
        yield return ("fraud confirmed", N(r.FraudConfirmedRegistrations));
    }

    private static string FigureText(string key) => "Fig_" + key.Replace(' ', '_').Replace('-', '_');

    private static string? WhyText(PageLanguage t, string? why) => why is null ? null : t["Why_" + why.Replace(" - 2 ", "_2").Replace(' ', '_')];

    private static string Percent(double value) => value.ToString("P1", CultureInfo.InvariantCulture);

    private static void Head(StringBuilder html, PageLanguage t, string title) =>
        html.Append("<!DOCTYPE html><html lang=\"").Append(t.Tag).Append("\"><head><meta charset=\"utf-8\"><title>").Append(E(title))
            .Append("</title><style>").Append(Style).Append("</style></head><body>");

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
