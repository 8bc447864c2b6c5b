namespace RealName.Gateway.Security;

/// <summary>
/// Sign-in for the web pages (reports, review workbench): the form's API key, if it belongs to a caller of the page's
/// role, is kept in an HTTP-only, same-site cookie that the API-key handler reads like the header.
/// </summary>
public static class WebSignIn
{
    /// <summary>True when the posted key is a caller of <paramref name="role"/>; its cookie is then set.</summary>
    public static async Task<bool> TrySignInAsync(HttpContext context, CallerCache callers, string role)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var presented = form["key"].ToString();
        var match = string.IsNullOrEmpty(presented) ? null : await callers.ByKeyAsync(presented);
        if (match is null || match.Role != role)
        {
            return false;
        }

        context.Response.Cookies.Append(ApiKeyAuthenticationHandler.CookieName, presented, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = context.Request.IsHttps,
            Path = "/",
            MaxAge = TimeSpan.FromHours(8),
        });
        return true;
    }

    public static void SignOut(HttpContext context) =>
        context.Response.Cookies.Delete(ApiKeyAuthenticationHandler.CookieName, new CookieOptions { Path = "/" });
}
