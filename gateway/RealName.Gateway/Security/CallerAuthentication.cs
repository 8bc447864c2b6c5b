using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Certificate;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace RealName.Gateway.Security;

/// <summary>
/// Who is calling: an API key (x-api-key) or a mutual-TLS client certificate whose SHA-256 thumbprint
/// is mapped to a caller; both resolve to the same caller records. Every endpoint needs an
/// authenticated caller in a role; one without an [Authorize] attribute is closed (the fallback policy).
/// </summary>
public static class CallerAuthentication
{
    private const string CallerScheme = "Caller";

    public static WebApplicationBuilder AddCallerAuthentication(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<AuthOptions>().Bind(builder.Configuration.GetSection(AuthOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<CallerCache>();
        services.AddHostedService<CallerBootstrap>();

        // HTTPS endpoints ask for a client certificate but do not require one; a presented certificate
        // is trusted only when its thumbprint is mapped to a valid caller (checked below, per request).
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https =>
        {
            https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
            https.AllowAnyClientCertificate();
        }));

        services.AddAuthentication(CallerScheme)
            .AddPolicyScheme(CallerScheme, "API key or client certificate", o => o.ForwardDefaultSelector = context =>
                ApiKeyAuthenticationHandler.Presented(context.Request) is null && context.Connection.ClientCertificate is not null
                    ? CertificateAuthenticationDefaults.AuthenticationScheme
                    : ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddCertificate(o =>
            {
                o.AllowedCertificateTypes = CertificateTypes.All;
                o.RevocationMode = X509RevocationMode.NoCheck;
                o.ValidateCertificateUse = false;
                o.Events = new CertificateAuthenticationEvents { OnCertificateValidated = MapCertificateAsync };
            });
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().RequireAssertion(_ => false).Build());
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, GrpcAuthorizationResultHandler>();
        return builder;
    }

    /// <summary>The SHA-256 thumbprint of a certificate, as stored.</summary>
    public static string Thumbprint(X509Certificate2 certificate) => certificate.GetCertHashString(HashAlgorithmName.SHA256);

    private static async Task MapCertificateAsync(CertificateValidatedContext context)
    {
        var callers = context.HttpContext.RequestServices.GetRequiredService<CallerCache>();
        var caller = await callers.ByThumbprintAsync(Thumbprint(context.ClientCertificate));
        if (caller is null)
        {
            context.Fail("client certificate not mapped to a valid caller");
            return;
        }

        context.Principal = CallerPrincipal.Create(caller, CertificateAuthenticationDefaults.AuthenticationScheme);
        context.Success();
    }
}
