using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace RealName.Gateway.Security;

/// <summary>
/// Authenticates a caller by API key: gRPC metadata / HTTP header <c>x-api-key</c>, or the
/// <c>realname-key</c> cookie that the report page's login form sets. The key's SHA-256 is looked up
/// among the valid callers (PostgreSQL, through <see cref="CallerCache"/>).
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    CallerCache callers) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "x-api-key";
    public const string CookieName = "realname-key";

    public static string? Presented(HttpRequest request) => request.Headers[HeaderName].FirstOrDefault() ?? request.Cookies[CookieName];

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = Presented(Request);
        if (string.IsNullOrEmpty(presented))
        {
            return AuthenticateResult.NoResult();
        }

        if (Request.Headers[HeaderName].Count > 1)
        {
            // Which of two keys acts would be the server's guess: a request speaks for one caller or is refused.
            return AuthenticateResult.Fail("more than one API key");
        }

        var caller = await callers.ByKeyAsync(presented);
        return caller is null
            ? AuthenticateResult.Fail("unknown or revoked API key")
            : AuthenticateResult.Success(new AuthenticationTicket(CallerPrincipal.Create(caller, SchemeName), SchemeName));
    }
}
