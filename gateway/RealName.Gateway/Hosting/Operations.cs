using System.Net;
using System.Resources;
using System.Text;
using Microsoft.Extensions.Options;
using Orleans.Dashboard;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using RealName.Grains;
using RealName.Grains.Telemetry;

namespace RealName.Gateway.Hosting;

/// <summary>
/// What operators see of a gateway: OpenTelemetry (ASP.NET Core spans and metrics on top of the grid's common set,
/// Prometheus' text format at /metrics on the web port) and, when Telemetry:Dashboard is on, the Orleans dashboard at
/// /dashboard for the ADMIN role, signed in like the report page (x-api-key header, or the cookie the /ops/login form
/// sets), with personal data kept out of it (<see cref="DashboardPrivacy"/>).
/// </summary>
public static class Operations
{
    public const string DashboardPath = "/dashboard";
    public const string LoginPath = "/ops/login";
    public const string MetricsPath = "/metrics";

    private static readonly ResourceManager Texts = new("RealName.Gateway.Hosting.OperationsText", typeof(Operations).Assembly);

    public static WebApplicationBuilder AddOperations(this WebApplicationBuilder builder)
    {
        var telemetry = builder.Services.AddGridTelemetry(builder.Configuration, "realname-gateway")
            .WithTracing(tracing => tracing.AddAspNetCoreInstrumentation(o => o.Filter = context => !IsScrape(context)))
            .WithMetrics(metrics => metrics.AddAspNetCoreInstrumentation());
        if (builder.Configuration.GetValidated<TelemetryOptions>(TelemetryOptions.Section).PrometheusEndpoint)
        {
            telemetry.WithMetrics(metrics => metrics.AddPrometheusExporter());
        }

        return builder;
    }

    public static WebApplication MapOperations(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<TelemetryOptions>>().Value;
        if (options.PrometheusEndpoint)
        {
            // Open like /healthz: counts and codes only, never personal data (see the Telemetry section of the README).
            app.MapPrometheusScrapingEndpoint(MetricsPath).AllowAnonymous();
        }

        if (!options.Dashboard)
        {
            return app;
        }

        app.UseMiddleware<DashboardPrivacy>();
        app.MapOrleansDashboard(routePrefix: DashboardPath).RequireAuthorization(new AuthorizeAttribute { Roles = Roles.Admin });
        app.MapGet(LoginPath, (HttpContext context) => LoginPage(context, null, StatusCodes.Status200OK)).AllowAnonymous();
        app.MapPost(LoginPath, async (HttpContext context, CallerCache callers) =>
            await WebSignIn.TrySignInAsync(context, callers, Roles.Admin)
                ? Results.Redirect(DashboardPath + "/", permanent: false)
                : LoginPage(context, "UnknownKey", StatusCodes.Status401Unauthorized)).AllowAnonymous();
        return app;
    }

    /// <summary>A browser that is not signed in is sent to the dashboard's sign-in form (when there is a dashboard) instead of a bare 401.</summary>
    public static bool RedirectsToSignIn(HttpContext context) =>
        context.Request.Path.StartsWithSegments(DashboardPath) && context.User.Identity?.IsAuthenticated != true
        && context.RequestServices.GetRequiredService<IOptions<TelemetryOptions>>().Value.Dashboard;

    private static bool IsScrape(HttpContext context) => context.Request.Path.StartsWithSegments(MetricsPath);

    /// <summary>The sign-in form of the web pages, in the page language (texts in OperationsText*.resx).</summary>
    private static IResult LoginPage(HttpContext context, string? errorKey, int status)
    {
        var t = PageLanguage.Of(context, Texts);
        var html = new StringBuilder("<!DOCTYPE html><html lang=\"").Append(t.Tag).Append("\"><head><meta charset=\"utf-8\"><title>")
            .Append(WebUtility.HtmlEncode(t["LoginTitle"])).Append("</title></head><body>");
        SignInForm.Append(html, t, t["Heading"], LoginPath, errorKey is null ? null : t[errorKey]);
        return Results.Content(html.ToString(), "text/html; charset=utf-8", Encoding.UTF8, status);
    }
}
