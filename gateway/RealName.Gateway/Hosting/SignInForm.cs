using System.Net;
using System.Text;

namespace RealName.Gateway.Hosting;

/// <summary>The sign-in form of the web pages (reports, workbench): heading, hint, the refusal if any, and the key field.</summary>
public static class SignInForm
{
    /// <param name="t">The page's language; its resources have the keys SignInHint, ApiKey and SignIn.</param>
    /// <param name="heading">The page's heading.</param>
    /// <param name="action">Where the form posts the key.</param>
    /// <param name="error">Why the last attempt was refused, if it was.</param>
    public static StringBuilder Append(StringBuilder html, PageLanguage t, string heading, string action, string? error)
    {
        html.Append("<h1>").Append(E(heading)).Append("</h1><p class=\"muted\">").Append(E(t["SignInHint"])).Append("</p>");
        if (error is not null)
        {
            html.Append("<p id=\"login-error\" style=\"color:#d1242f\">").Append(E(error)).Append("</p>");
        }

        return html.Append("<form id=\"login\" method=\"post\" action=\"").Append(action).Append("\"><label>").Append(E(t["ApiKey"]))
            .Append(" <input id=\"key\" name=\"key\" type=\"password\" autocomplete=\"off\" required></label> <button id=\"sign-in\" type=\"submit\">")
            .Append(E(t["SignIn"])).Append("</button></form></body></html>");
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
