using System.Globalization;
using System.Net;
using System.Text;
using RealName.Gateway.Hosting;
using RealName.Grains.FaceIndex;
using RealName.Grains.Identities;
using RealName.Grains.Reviews;
using RealName.Grains.Subscribers;

namespace RealName.Gateway.Reviews;

/// <summary>What the workbench shows of one case.</summary>
public sealed record WorkbenchCase(
    ReviewCase Case,
    SubscriberRecord? Record,
    IReadOnlyList<EvidenceImage> Images,
    IReadOnlyList<HeldNumber> IdentityNumbers,
    Func<string, bool> InScope);

/// <summary>
/// Renders the reviewers' workbench (Simplified Chinese by default, English on the toggle): the queue, and a case
/// with the document portrait and the live photo side by side, the scores and reasons, the identity's numbers and
/// the number's history, and the decision form. No scripts, no external resources; wide tables scroll in their box.
/// </summary>
public static class WorkbenchPage
{
    private const string Style = """
        body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:24px;color:#1f2328;max-width:1200px}
        h1{font-size:22px;margin:0 0 4px} h2{font-size:17px;margin:24px 0 8px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
        .box{overflow-x:auto;max-width:100%} table{border-collapse:collapse;font-size:13px} th,td{border:1px solid #d0d7de;padding:3px 8px;text-align:left;overflow-wrap:anywhere}
        th{background:#f6f8fa} .photos{display:flex;flex-wrap:wrap;gap:16px} figure{margin:0} img{max-width:360px;max-height:360px;border:1px solid #d0d7de}
        .muted{color:#57606a;font-size:13px} .bar{display:flex;gap:16px;align-items:center} .notice{background:#ddf4ff;padding:6px 10px} .error{background:#ffebe9;color:#82071e;padding:6px 10px}
        input,button,textarea{font-size:14px;padding:3px 6px} textarea{width:420px;height:48px}
        """;

    public static string Login(PageLanguage t, string? error) =>
        SignInForm.Append(Head(t, t["Title"]), t, t["Title"], "/review/login", error).ToString();

    public static string Queue(PageLanguage t, IReadOnlyList<ReviewCase> cases, string? notice)
    {
        var html = Head(t, t["Title"]);
        Bar(html, t, "/review?");
        if (notice is not null)
        {
            html.Append("<p id=\"notice\" class=\"notice\">").Append(E(notice)).Append("</p>");
        }

        html.Append("<h2>").Append(E(t["Queue"])).Append(Inv($" ({cases.Count})")).Append("</h2>");
        if (cases.Count == 0)
        {
            return html.Append("<p id=\"queue-empty\">").Append(E(t["QueueEmpty"])).Append("</p></body></html>").ToString();
        }

        html.Append("<div class=\"box\"><table id=\"queue\"><tr>");
        foreach (var header in new[] { "Case", "Kind", "Number", "Carrier", "Outlet", "Clerk", "Scores", "Opened", "" })
        {
            html.Append("<th>").Append(header.Length == 0 ? "" : E(t[header])).Append("</th>");
        }

        html.Append("</tr>");
        foreach (var c in cases)
        {
            html.Append("<tr data-case=\"").Append(E(c.CaseId)).Append("\"><td>").Append(E(c.CaseId)).Append("</td><td>").Append(E(KindText(t, c.Kind)))
                .Append("</td><td>").Append(E(c.PhoneNumber)).Append("</td><td>").Append(E(c.Channel.CarrierId)).Append("</td><td>").Append(E(c.Channel.OutletId))
                .Append("</td><td>").Append(E(c.Channel.ClerkId)).Append("</td><td>").Append(E(string.Join(", ", c.Faces.Select(f => $"{f.Person} {f.Decision} {Score(f.Score)}"))))
                .Append("</td><td>").Append(E(Time(c.CreatedAt))).Append("</td><td><a class=\"open\" href=\"/review/case?id=").Append(Uri.EscapeDataString(c.CaseId)).Append("\">")
                .Append(E(t["Open"])).Append("</a></td></tr>");
        }

        return html.Append("</table></div></body></html>").ToString();
    }

    public static string Case(PageLanguage t, WorkbenchCase view, string? error)
    {
        var c = view.Case;
        var html = Head(t, $"{t["Case"]} {c.CaseId}");
        Bar(html, t, "/review/case?id=" + Uri.EscapeDataString(c.CaseId) + "&");
        html.Append("<p><a id=\"back\" href=\"/review\">").Append(E(t["Back"])).Append("</a></p>");
        if (error is not null)
        {
            html.Append("<p id=\"decide-error\" class=\"error\">").Append(E(error)).Append("</p>");
        }

        html.Append("<h2>").Append(E(t["Case"])).Append(' ').Append(E(c.CaseId)).Append("</h2><div class=\"box\"><table id=\"case\">");
        Row(html, t["Kind"], KindText(t, c.Kind));
        Row(html, t["Number"], c.PhoneNumber);
        Row(html, t["Carrier"], c.Channel.CarrierId);
        Row(html, t["Outlet"], c.Channel.OutletId);
        Row(html, t["Clerk"], c.Channel.ClerkId);
        Row(html, t["Opened"], Time(c.CreatedAt));
        if (view.Record?.Owner is { } owner)
        {
            Row(html, t["Holder"], $"{owner.DocumentKind} {owner.MaskedDocumentNumber} {owner.MaskedName}");
        }

        html.Append("</table></div>");

        html.Append("<h2>").Append(E(t["Photos"])).Append("</h2>");
        if (view.Images.Count == 0)
        {
            html.Append("<p id=\"no-images\" class=\"muted\">").Append(E(t["NoImages"])).Append("</p>");
        }
        else
        {
            html.Append("<div class=\"photos\" id=\"photos\">");
            // Each person's document portrait on the left, the live photo beside it.
            foreach (var image in view.Images.OrderBy(i => i.Person, StringComparer.Ordinal).ThenBy(i => i.Kind == "portrait" ? 0 : 1))
            {
                html.Append("<figure><img class=\"evidence\" data-person=\"").Append(E(image.Person)).Append("\" data-kind=\"").Append(E(image.Kind))
                    .Append("\" alt=\"").Append(E($"{image.Person} {t[image.Kind]}")).Append("\" src=\"data:").Append(MediaType(image.Image)).Append(";base64,")
                    .Append(Convert.ToBase64String(image.Image)).Append("\"><figcaption>").Append(E($"{image.Person} · {t[image.Kind]}")).Append("</figcaption></figure>");
            }

            html.Append("</div>");
        }

        html.Append("<h2>").Append(E(t["Scores"])).Append("</h2><div class=\"box\"><table id=\"scores\"><tr><th>").Append(E(t["Person"])).Append("</th><th>")
            .Append(E(t["Decision"])).Append("</th><th>").Append(E(t["Score"])).Append("</th><th>").Append(E(t["GateReasons"])).Append("</th><th>")
            .Append(E(t["Model"])).Append("</th></tr>");
        foreach (var f in c.Faces)
        {
            html.Append("<tr><td>").Append(E(f.Person)).Append("</td><td>").Append(E(f.Decision)).Append("</td><td>").Append(E(Score(f.Score)))
                .Append("</td><td>").Append(E(string.Join(", ", f.Reasons))).Append("</td><td>").Append(E(f.ModelVersion)).Append("</td></tr>");
        }

        html.Append("</table></div>");
        if (c.FaceLinks.Count > 0)
        {
            html.Append("<h2>").Append(E(t["FaceLinks"])).Append("</h2><div class=\"box\"><table id=\"face-links\"><tr><th>").Append(E(t["Number"])).Append("</th><th>")
                .Append(E(t["Holder"])).Append("</th><th>").Append(E(t["Carrier"])).Append("</th><th>").Append(E(t["Outlet"])).Append("</th><th>").Append(E(t["Clerk"]))
                .Append("</th><th>").Append(E(t["Score"])).Append("</th></tr>");
            foreach (var link in c.FaceLinks)
            {
                html.Append("<tr><td>").Append(E(Shown(link.Owner.PhoneNumber, link.Owner.CarrierId, view.InScope))).Append("</td><td>")
                    .Append(E($"{link.Owner.MaskedDocumentNumber} {link.Owner.MaskedName}")).Append("</td><td>").Append(E(link.Owner.CarrierId)).Append("</td><td>")
                    .Append(E(link.Owner.OutletId)).Append("</td><td>").Append(E(link.Owner.ClerkId)).Append("</td><td>").Append(E(Score(link.Score))).Append("</td></tr>");
            }

            html.Append("</table></div>");
        }

        html.Append("<h2>").Append(E(t["IdentityNumbers"])).Append("</h2><div class=\"box\"><table id=\"identity-numbers\"><tr><th>").Append(E(t["Number"]))
            .Append("</th><th>").Append(E(t["Carrier"])).Append("</th><th>").Append(E(t["Confirmed"])).Append("</th><th>").Append(E(t["Since"])).Append("</th></tr>");
        foreach (var n in view.IdentityNumbers)
        {
            html.Append("<tr><td>").Append(E(Shown(n.PhoneNumber, n.CarrierId, view.InScope))).Append("</td><td>").Append(E(n.CarrierId)).Append("</td><td>")
                .Append(E(n.Confirmed ? t["Yes"] : t["No"])).Append("</td><td>").Append(E(Time(n.Since))).Append("</td></tr>");
        }

        html.Append("</table></div>");
        html.Append("<h2>").Append(E(t["NumberHistory"])).Append("</h2><div class=\"box\"><table id=\"history\"><tr><th>").Append(E(t["At"])).Append("</th><th>")
            .Append(E(t["Event"])).Append("</th><th>").Append(E(t["Status"])).Append("</th><th>").Append(E(t["GateReasons"])).Append("</th><th>").Append(E(t["Actor"]))
            .Append("</th></tr>");
        foreach (var h in view.Record?.History ?? [])
        {
            html.Append("<tr><td>").Append(E(Time(h.At))).Append("</td><td>").Append(E(h.Event)).Append("</td><td>").Append(E(h.Status.ToString())).Append("</td><td>")
                .Append(E(string.Join(", ", h.Reasons))).Append("</td><td>").Append(E(h.Actor)).Append("</td></tr>");
        }

        html.Append("</table></div>");
        html.Append("<h2>").Append(E(t["Decision"])).Append("</h2><form id=\"decide\" method=\"post\" action=\"/review/decide?id=").Append(Uri.EscapeDataString(c.CaseId))
            .Append("\"><label>").Append(E(t["Reason"])).Append("<br><textarea id=\"reason\" name=\"reason\" required maxlength=\"256\"></textarea></label><br>")
            .Append("<button id=\"approve\" type=\"submit\" name=\"decision\" value=\"approve\">").Append(E(t["Approve"])).Append("</button> ")
            .Append("<button id=\"reject\" type=\"submit\" name=\"decision\" value=\"reject\">").Append(E(t["Reject"])).Append("</button></form></body></html>");
        return html.ToString();
    }

    private static StringBuilder Head(PageLanguage t, string title) =>
        new StringBuilder("<!DOCTYPE html><html lang=\"").Append(t.Tag).Append("\"><head><meta charset=\"utf-8\"><title>").Append(E(title))
            .Append("</title><style>").Append(Style).Append("</style></head><body>");

    /// <param name="path">The page's address ending in '?' or '&amp;', to which the language toggle appends its query.</param>
    private static void Bar(StringBuilder html, PageLanguage t, string path) =>
        html.Append("<div class=\"bar\"><h1>").Append(E(t["Title"])).Append("</h1><a id=\"language\" href=\"").Append(path).Append("lang=").Append(t.OtherTag).Append("\">")
            .Append(E(t["OtherLanguage"])).Append("</a><form method=\"post\" action=\"/review/logout\"><button type=\"submit\">").Append(E(t["SignOut"])).Append("</button></form></div>");

    private static void Row(StringBuilder html, string label, string value) =>
        html.Append("<tr><th>").Append(E(label)).Append("</th><td>").Append(E(value)).Append("</td></tr>");

    private static string KindText(PageLanguage t, ReviewCaseKind kind) => kind == ReviewCaseKind.Registration ? t["KindRegistration"] : t["KindReReview"];

    /// <summary>Numbers of carriers outside the reviewer's scope are shown masked.</summary>
    private static string Shown(string phone, string carrierId, Func<string, bool> inScope) =>
        inScope(carrierId) ? phone : Rules.PersonalDataMasks.Number(phone);

    private static string MediaType(byte[] image) => image is [0x89, 0x50, ..] ? "image/png" : "image/jpeg";

    private static string Score(double? score) => score is { } s ? s.ToString("0.000", CultureInfo.InvariantCulture) : "-";

    private static string Time(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
