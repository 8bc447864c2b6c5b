using System.Globalization;
using System.Resources;

namespace RealName.Gateway.Hosting;

/// <summary>
/// The language of the web pages: Simplified Chinese by default, English on the toggle (<c>?lang=en</c>, remembered
/// in a cookie). Texts come from resource files (<c>*.resx</c> neutral = zh-CN, <c>*.en.resx</c>), never concatenated.
/// </summary>
public sealed class PageLanguage
{
    public const string CookieName = "realname-lang";

    private static readonly CultureInfo Chinese = CultureInfo.GetCultureInfo("zh-CN");
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en");

    private readonly ResourceManager texts;

    private PageLanguage(ResourceManager texts, CultureInfo culture)
    {
        this.texts = texts;
        Culture = culture;
    }

    public CultureInfo Culture { get; }

    /// <summary>"zh-CN" or "en", for the html lang attribute.</summary>
    public string Tag => Culture.Name;

    /// <summary>The value of <c>lang</c> that switches to the other language.</summary>
    public string OtherTag => IsEnglish ? "zh" : "en";

    public bool IsEnglish => Culture.Equals(English);

    /// <summary>The page's text for a key; a missing key is a defect, so it shows as the key in brackets.</summary>
    public string this[string key] => texts.GetString(key, Culture) ?? $"[{key}]";

    public string Format(string key, params object[] values) => string.Format(Culture, this[key], values);

    /// <summary>The language of this request (a <c>lang</c> query value wins and is remembered).</summary>
    public static PageLanguage Of(HttpContext context, ResourceManager texts)
    {
        var asked = context.Request.Query["lang"].FirstOrDefault();
        if (asked is "en" or "zh")
        {
            context.Response.Cookies.Append(CookieName, asked, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = context.Request.IsHttps, Path = "/" });
        }

        var chosen = asked ?? context.Request.Cookies[CookieName];
        return new PageLanguage(texts, chosen == "en" ? English : Chinese);
    }
}
