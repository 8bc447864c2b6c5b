using System.Globalization;
using Microsoft.Extensions.Options;
using RealName.Grains;
using RealName.Rules;
using RealName.Storage.Reads;

using RealName.Gateway.Audit;

// In the hosting namespace so GatewayApp needs only its two calls.
namespace RealName.Gateway.Hosting;

/// <summary>
/// Wires the auditors' capability into the gateway: the AuditService gRPC service, and on the web
/// endpoint the HTML report (/reports, cookie sign-in with an auditor key) and CSV exports.
/// </summary>
public static class Auditing
{
    public static IServiceCollection AddAuditing(this IServiceCollection services, string connectionString, IConfiguration configuration)
    {
        services.AddAuditReads(connectionString, configuration);
        services.AddValidatedOptions<AuditOptions>(configuration, AuditOptions.Section);
        return services;
    }

    public static WebApplication MapAuditing(this WebApplication app)
    {
        app.MapGrpcService<AuditGrpcService>();
        var auditor = new AuthorizeAttribute { Roles = Roles.Auditor };
        var reports = app.MapGroup("/reports");
        // The page itself answers with the sign-in form when the caller is not an auditor.
        reports.MapGet("", ReportAsync).AllowAnonymous();
        reports.MapPost("/login", LoginAsync).AllowAnonymous();
        reports.MapPost("/logout", Logout).AllowAnonymous();
        reports.MapGet("/consistency.csv", ConsistencyCsvAsync).RequireAuthorization(auditor);
        reports.MapGet("/events.csv", EventsCsvAsync).RequireAuthorization(auditor);
        reports.MapGet("/fraud.csv", FraudCsvAsync).RequireAuthorization(auditor);
        reports.MapGet("/trace.csv", TraceCsvAsync).RequireAuthorization(auditor);
        return app;
    }

    private static async Task<IResult> ReportAsync(HttpContext context, AuditReports reports, IOptionsSnapshot<AuditOptions> options, TimeProvider clock)
    {
        var t = PageLanguage.Of(context, ReportPage.Texts);
        if (!context.User.IsInRole(Roles.Auditor))
        {
            var error = context.User.Identity?.IsAuthenticated == true ? t["NotAuditor"] : null;
            return Html(ReportPage.Login(t, error), context.User.Identity?.IsAuthenticated == true ? StatusCodes.Status403Forbidden : StatusCodes.Status200OK);
        }

        if (!TryQuery(context.Request.Query, clock, reports.Calendar, out var query, out var problem))
        {
            return Results.BadRequest(problem);
        }

        var overTime = await reports.GetConsistencyReportAsync(query, context.RequestAborted);
        var perOutlet = await reports.GetConsistencyReportAsync(query with { Bucket = ReportBucket.Period, Dimension = ReportDimension.Outlet }, context.RequestAborted);
        var perClerk = await reports.GetConsistencyReportAsync(query with { Bucket = ReportBucket.Period, Dimension = ReportDimension.Clerk }, context.RequestAborted);
        var (outlets, mean, sd) = ReportPage.Outliers(perOutlet.Rows, options.Value);
        var queryString = string.Create(CultureInfo.InvariantCulture,
            $"from={ReportQueryParser.Day(query.From, reports.Calendar)}&to={ReportQueryParser.Day(query.To, reports.Calendar)}&bucket={query.Bucket.ToString().ToLowerInvariant()}");
        return Html(ReportPage.Render(t, overTime, perOutlet, perClerk, outlets, mean, sd, options.Value, queryString, reports.Calendar), StatusCodes.Status200OK);
    }

    private static async Task<IResult> LoginAsync(HttpContext context, CallerCache callers) =>
        await WebSignIn.TrySignInAsync(context, callers, Roles.Auditor)
            ? Results.Redirect("/reports", permanent: false)
            : Html(ReportPage.Login(PageLanguage.Of(context, ReportPage.Texts), PageLanguage.Of(context, ReportPage.Texts)["UnknownKey"]), StatusCodes.Status401Unauthorized);

    private static IResult Logout(HttpContext context)
    {
        WebSignIn.SignOut(context);
        return Results.Redirect("/reports", permanent: false);
    }

    private static async Task ConsistencyCsvAsync(HttpContext context, AuditReports reports, TimeProvider clock)
    {
        if (!TryQuery(context.Request.Query, clock, reports.Calendar, out var query, out var problem))
        {
            await BadRequestAsync(context, problem);
            return;
        }

        var report = await reports.GetConsistencyReportAsync(query, context.RequestAborted);
        await using var writer = StartCsv(context, $"consistency-{query.Bucket.ToString().ToLowerInvariant()}-{query.Dimension.ToString().ToLowerInvariant()}.csv");
        await writer.WriteAsync(Csv.Line(Csv.ReportHeader));
        foreach (var row in report.Rows)
        {
            await writer.WriteAsync(Csv.ReportLine(row, reports.Calendar));
        }
    }

    private static async Task EventsCsvAsync(HttpContext context, AuditReports reports, TimeProvider clock)
    {
        if (!TryQuery(context.Request.Query, clock, reports.Calendar, out var query, out var problem))
        {
            await BadRequestAsync(context, problem);
            return;
        }

        var types = context.Request.Query["type"].Where(t => !string.IsNullOrEmpty(t)).Select(t => t!).ToList();
        var unknown = types.FirstOrDefault(t => !AuditEventTypes.All.Contains(t));
        if (unknown is not null)
        {
            await BadRequestAsync(context, "type: UNKNOWN_EVENT_TYPE " + unknown);
            return;
        }

        var filter = new ExportFilter(query.From, query.To, context.Request.Query["outlet"].FirstOrDefault(), types);
        await using var writer = StartCsv(context, "audit-events.csv");
        await writer.WriteAsync(Csv.Line(Csv.EventHeader));
        await foreach (var e in reports.ExportAsync(filter, context.RequestAborted))
        {
            await writer.WriteAsync(Csv.EventLine(e));
        }
    }

    private static async Task FraudCsvAsync(HttpContext context, AuditReports reports)
    {
        var outlet = context.Request.Query["outlet"].FirstOrDefault();
        if (string.IsNullOrWhiteSpace(outlet))
        {
            await BadRequestAsync(context, "outlet: REQUIRED");
            return;
        }

        DateTimeOffset? from = ReportQueryParser.TryInstant(context.Request.Query["from"], reports.Calendar, out var f) ? f : null;
        DateTimeOffset? to = ReportQueryParser.TryInstant(context.Request.Query["to"], reports.Calendar, out var t) ? t : null;
        var found = await reports.FraudLinkedRegistrationsAsync(outlet, from, to, context.RequestAborted);
        await using var writer = StartCsv(context, $"fraud-linked-{outlet}.csv");
        await writer.WriteAsync(Csv.Line(["fraud_reports", "first_reported_at", "current_status", .. Csv.EventHeader]));
        foreach (var r in found)
        {
            var prefix = Csv.Line(
                r.FraudReports.ToString(CultureInfo.InvariantCulture),
                r.FirstReportedAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                r.CurrentStatus);
            await writer.WriteAsync(prefix.TrimEnd('\r', '\n') + "," + Csv.EventLine(r.Registration));
        }
    }

    private static async Task TraceCsvAsync(HttpContext context, AuditReports reports)
    {
        var phone = context.Request.Query["phone"].FirstOrDefault();
        if (phone is null || !PhoneNumbers.IsValid(phone))
        {
            await BadRequestAsync(context, "phone: INVALID_PHONE_NUMBER");
            return;
        }

        var trace = await reports.TraceNumberAsync(phone, context.RequestAborted);
        await using var writer = StartCsv(context, $"trace-{phone}.csv");
        await writer.WriteAsync(Csv.Line(Csv.EventHeader));
        foreach (var e in trace.Events)
        {
            await writer.WriteAsync(Csv.EventLine(e));
        }
    }

    /// <summary>from/to (default: the last six calendar months), bucket (default month), dimension (default none).</summary>
    private static bool TryQuery(IQueryCollection q, TimeProvider clock, CivilCalendar calendar, out ReportQuery query, out string problem)
    {
        var (defaultFrom, defaultTo) = ReportQueryParser.DefaultPeriod(clock.GetUtcNow(), calendar);
        query = new ReportQuery(defaultFrom, defaultTo, ReportBucket.Month, ReportDimension.None);
        problem = "";
        var from = defaultFrom;
        var to = defaultTo;
        if (q.TryGetValue("from", out var fromText) && !ReportQueryParser.TryInstant(fromText, calendar, out from))
        {
            problem = "from: INVALID_DATE (yyyy-MM-dd of the civil calendar, or an ISO 8601 instant)";
            return false;
        }

        if (q.TryGetValue("to", out var toText) && !ReportQueryParser.TryInstant(toText, calendar, out to))
        {
            problem = "to: INVALID_DATE (yyyy-MM-dd of the civil calendar, or an ISO 8601 instant)";
            return false;
        }

        if (to <= from || to - from > AuditGrpcService.MaxReportPeriod)
        {
            problem = "to: PERIOD_INVALID (after from, at most 400 days)";
            return false;
        }

        var bucket = ReportQueryParser.Bucket(q["bucket"].FirstOrDefault());
        var dimension = ReportQueryParser.Dimension(q["dimension"].FirstOrDefault());
        if (bucket is null || dimension is null)
        {
            problem = bucket is null ? "bucket: UNKNOWN (day, week, month, period)" : "dimension: UNKNOWN (none, channel_kind, carrier, region, outlet, clerk, card_type)";
            return false;
        }

        query = new ReportQuery(from, to, bucket.Value, dimension.Value);
        return true;
    }

    private static StreamWriter StartCsv(HttpContext context, string fileName)
    {
        context.Response.ContentType = "text/csv; charset=utf-8";
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"{Uri.EscapeDataString(fileName)}\"";
        return new StreamWriter(context.Response.Body, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 64 * 1024);
    }

    private static async Task BadRequestAsync(HttpContext context, string problem)
    {
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(problem, context.RequestAborted);
    }

    private static IResult Html(string body, int status) =>
        Results.Content(body, "text/html; charset=utf-8", System.Text.Encoding.UTF8, status);
}
