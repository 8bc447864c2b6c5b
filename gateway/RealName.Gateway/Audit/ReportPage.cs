using System.Globalization;
using System.Net;
using System.Text;
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

/// <summary>Renders the auditors' HTML report: figures, SVG charts and CSV links. No scripts, no external resources.</summary>
public static class ReportPage
{
    private const string Style = """
        body{font-family:sans-serif;margin:24px;color:#1f2328;max-width:1200px}
        h1{font-size:22px;margin:0 0 4px} h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
        table{border-collapse:collapse;font-size:13px} th,td{border:1px solid #d0d7de;padding:3px 8px;text-align:right}
        th{background:#f6f8fa} td.l,th.l{text-align:left;white-space:nowrap} h3{font-size:14px;margin:4px 0} tr.outlier td{background:#ffebe9;color:#82071e}
        .muted{color:#57606a;font-size:13px} .charts{display:flex;flex-wrap:wrap;gap:24px} .scroll{overflow-x:auto;max-width:100%}
        form.inline{display:inline} input,select,button{font-size:14px;padding:3px 6px} .links a{margin-right:14px}
        """;

    public static string Login(string? error)
    {
        var html = new StringBuilder();
        Head(html, "RealName audit reports: sign in");
        html.Append("<h1>RealName audit reports</h1><p class=\"muted\">Sign in with an auditor API key.</p>");
        if (error is not null)
        {
            html.Append("<p id=\"login-error\" style=\"color:#d1242f\">").Append(E(error)).Append("</p>");
        }

        html.Append("""
            <form id="login" method="post" action="/reports/login">
            <label>API key <input id="key" name="key" type="password" autocomplete="off" required></label>
            <button id="sign-in" type="submit">Sign in</button>
            </form></body></html>
            """);
        return html.ToString();
    }

    public static string Render(
        ConsistencyReportData overTime,
        ConsistencyReportData perOutlet,
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
        Head(html, "RealName audit report");
        html.Append("<h1>RealName audit report: consistency rate and accountability</h1>");
        html.Append(Inv($"<p class=\"muted\">Period {ReportQueryParser.Day(q.From, calendar)} to {ReportQueryParser.Day(q.To.AddTicks(-1), calendar)} (inclusive; civil calendar {calendar.Label}), by {q.Bucket.ToString().ToLowerInvariant()}. Definitions: docs/auditing.md.</p>"));

        html.Append("<form method=\"get\" action=\"/reports\">")
            .Append(Inv($"From <input name=\"from\" type=\"date\" value=\"{ReportQueryParser.Day(q.From, calendar)}\"> "))
            .Append(Inv($"To (exclusive) <input name=\"to\" type=\"date\" value=\"{ReportQueryParser.Day(q.To, calendar)}\"> "))
            .Append("By <select name=\"bucket\">");
        foreach (var b in new[] { ReportBucket.Day, ReportBucket.Week, ReportBucket.Month })
        {
            var name = b.ToString().ToLowerInvariant();
            html.Append(Inv($"<option value=\"{name}\"{(b == q.Bucket ? " selected" : "")}>{name}</option>"));
        }

        html.Append("</select> <button type=\"submit\">Show</button></form> ")
            .Append("<form class=\"inline\" method=\"post\" action=\"/reports/logout\"><button type=\"submit\">Sign out</button></form>");

        html.Append("<h2>Totals</h2><table id=\"totals\"><tr>");
        foreach (var (label, _) in Figures(total))
        {
            html.Append("<th>").Append(E(label)).Append("</th>");
        }

        html.Append("</tr><tr>");
        foreach (var (label, value) in Figures(total))
        {
            html.Append("<td data-figure=\"").Append(E(label)).Append("\">").Append(E(value)).Append("</td>");
        }

        html.Append("</tr></table>");

        html.Append("<div class=\"links\"><h2>CSV</h2>")
            .Append(Inv($"<a id=\"csv-time\" href=\"/reports/consistency.csv?{queryString}&dimension=none\">report by {q.Bucket.ToString().ToLowerInvariant()}</a>"))
            .Append(Inv($"<a id=\"csv-outlet\" href=\"/reports/consistency.csv?{queryString}&dimension=outlet\">by {q.Bucket.ToString().ToLowerInvariant()} and outlet</a>"))
            .Append(Inv($"<a href=\"/reports/consistency.csv?{queryString}&dimension=clerk\">by {q.Bucket.ToString().ToLowerInvariant()} and clerk</a>"))
            .Append(Inv($"<a href=\"/reports/consistency.csv?{queryString}&dimension=channel_kind\">by channel type</a>"))
            .Append(Inv($"<a href=\"/reports/consistency.csv?{queryString}&dimension=carrier\">by carrier</a>"))
            .Append(Inv($"<a href=\"/reports/consistency.csv?{queryString}&dimension=region\">by region</a>"))
            .Append(Inv($"<a href=\"/reports/consistency.csv?{queryString}&dimension=card_type\">by card type</a>"))
            .Append(Inv($"<a id=\"csv-events\" href=\"/reports/events.csv?{queryString}\">all events</a>"))
            .Append("</div>");

        html.Append("<h2>Charts</h2><div class=\"charts\">");
        var lines = new List<ChartLine> { new("floor", options.ConsistencyFloor, "#d1242f") };
        html.Append("<div class=\"scroll\"><h3>Consistency rate over time</h3>").Append(SvgCharts.RateLine(
            "chart-rate-time",
            "Consistency rate over time",
            overTime.Rows.Select(r => new ChartItem(r.BucketLabel, r.ConsistencyRate, r.ConsistencyRate < options.ConsistencyFloor)).ToList(),
            lines)).Append("</div>");

        var outletLines = new List<ChartLine>(lines);
        if (outletMean is { } mean)
        {
            outletLines.Add(new ChartLine("mean", mean, "#1a7f37"));
            if (outletSd is { } sd && sd > 0)
            {
                outletLines.Add(new ChartLine("mean - 2 sd", mean - (2 * sd), "#9a6700"));
            }
        }

        html.Append("<div class=\"scroll\"><h3>Consistency rate per outlet, whole period (red: below the floor or mean - 2 sd)</h3>").Append(SvgCharts.RateBars(
            "chart-rate-outlet",
            "Consistency rate per outlet (red: outliers)",
            outlets.OrderBy(o => o.Row.ConsistencyRate ?? 2).Select(o => new ChartItem(o.Row.DimensionValue, o.Row.ConsistencyRate, o.Outlier, o.Why)).ToList(),
            outletLines)).Append("</div>");

        html.Append("<div><h3>Refusals by reason</h3>").Append(SvgCharts.CountBars(
            "chart-refusals",
            "Refusals by reason",
            total.RefusalsByReason.OrderByDescending(r => r.Value).Select(r => new ChartItem(r.Key, r.Value)).ToList(),
            "#8250df")).Append("</div>");

        html.Append("<div><h3>Re-review funnel</h3>").Append(SvgCharts.CountBars(
            "chart-funnel",
            "Re-review funnel",
            [
                new ChartItem("triggered", total.ReReviewsTriggered),
                new ChartItem("passed", total.ReReviewsPassed),
                new ChartItem("failed", total.ReReviewsFailed, Highlight: total.ReReviewsFailed > 0),
                new ChartItem("overdue (deadline missed)", total.ReReviewsOverdue, Highlight: total.ReReviewsOverdue > 0),
                new ChartItem("suspensions", total.Suspensions),
                new ChartItem("restorations", total.Restorations),
            ],
            "#1f6feb")).Append("</div>");
        html.Append("</div>");

        html.Append("<h2>By ").Append(E(q.Bucket.ToString().ToLowerInvariant())).Append("</h2>");
        Table(html, "by-time", "bucket", overTime.Rows, r => r.BucketLabel, _ => null);

        html.Append("<h2>Per outlet</h2>");
        html.Append(Inv($"<p class=\"muted\">Outlier: consistency rate below the floor ({options.ConsistencyFloor:P1})"));
        if (outletMean is { } m && outletSd is { } s)
        {
            html.Append(Inv($" or below mean - 2 sd ({m:P1} - 2 x {s:P1} = {m - (2 * s):P1}) over outlets with at least {options.MinimumComparedForSpread} face comparisons"));
        }

        html.Append(". Fraud-linked numbers: the outlet's numbers reported as fraud in the period; the CSV lists them with their registration facts.</p>");
        var outletById = outlets.ToDictionary(o => o.Row.DimensionValue, StringComparer.Ordinal);
        Table(html, "by-outlet", "outlet", perOutlet.Rows.OrderBy(r => r.ConsistencyRate ?? 2).ToList(), r => r.DimensionValue,
            r => outletById.TryGetValue(r.DimensionValue, out var o) && o.Outlier ? o.Why : null,
            r => Inv($"<a href=\"/reports/fraud.csv?outlet={WebUtility.UrlEncode(r.DimensionValue)}\">fraud CSV</a>"));

        html.Append("</body></html>");
        return html.ToString();
    }

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
        StringBuilder html, string id, string keyLabel, IReadOnlyList<ReportRowData> rows, Func<ReportRowData, string> key,
        Func<ReportRowData, string?> flag, Func<ReportRowData, string>? extra = null)
    {
        html.Append("<div class=\"scroll\"><table id=\"").Append(id).Append("\"><tr><th class=\"l\">").Append(E(keyLabel)).Append("</th>");
        foreach (var (label, _) in Figures(new ReportRowData()))
        {
            html.Append("<th>").Append(E(label)).Append("</th>");
        }

        html.Append("<th class=\"l\">flag</th>");
        if (extra is not null)
        {
            html.Append("<th class=\"l\">drill-down</th>");
        }

        html.Append("</tr>");
        foreach (var row in rows)
        {
            var why = flag(row);
            html.Append(why is null ? "<tr>" : "<tr class=\"outlier\">").Append("<td class=\"l\">").Append(E(key(row))).Append("</td>");
            foreach (var (_, value) in Figures(row))
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

    private static IEnumerable<(string Label, string Value)> Figures(ReportRowData r)
    {
        yield return ("registrations", N(r.Registrations));
        yield return ("approved", N(r.RegistrationsApproved));
        yield return ("face compared", N(r.FaceCompared));
        yield return ("matched", N(r.FaceMatched));
        yield return ("consistency rate", r.ConsistencyRate?.ToString("P1", CultureInfo.InvariantCulture) ?? "n/a");
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
    }

    private static void Head(StringBuilder html, string title) =>
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(title))
            .Append("</title><style>").Append(Style).Append("</style></head><body>");

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
