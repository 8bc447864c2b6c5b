using System.Resources;
using System.Security.Claims;
using RealName.Gateway.Reviews;
using RealName.Grains;
using RealName.Grains.Identities;
using RealName.Grains.Reviews;
using RealName.Grains.Subscribers;

// In the hosting namespace so GatewayApp needs only one call.
namespace RealName.Gateway.Hosting;

/// <summary>
/// The reviewers' workbench on the web endpoint (/review, cookie sign-in with a reviewer key, like the reports): the
/// queue of the reviewer's carriers, each case with its kept photos, and approve / reject through the same decision
/// path as the gRPC DecideReview (<see cref="Services.ReviewDecisions"/>).
/// </summary>
public static class Workbench
{
    private static readonly ResourceManager Texts = new("RealName.Gateway.Reviews.WorkbenchText", typeof(Workbench).Assembly);

    public static WebApplication MapWorkbench(this WebApplication app)
    {
        var review = app.MapGroup("/review");
        // Every page answers with the sign-in form when the caller is not a reviewer.
        review.MapGet("", QueueAsync).AllowAnonymous();
        // Case ids contain '/' (their review shard), so they travel in the query string.
        review.MapGet("/case", CaseAsync).AllowAnonymous();
        review.MapPost("/decide", DecideAsync).AllowAnonymous();
        review.MapPost("/login", LoginAsync).AllowAnonymous();
        review.MapPost("/logout", Logout).AllowAnonymous();
        return app;
    }

    private static async Task<IResult> QueueAsync(HttpContext context, IClusterClient cluster)
    {
        var t = PageLanguage.Of(context, Texts);
        if (SignInNeeded(context, t) is { } signIn)
        {
            return signIn;
        }

        var cases = await ReviewShards.ListPending(cluster, Carriers(context), 200, null);
        var notice = context.Request.Query["decided"].FirstOrDefault() is { Length: > 0 } decided
            ? t.Format("Decided", decided, context.Request.Query["status"].FirstOrDefault() ?? "")
            : null;
        return Html(WorkbenchPage.Queue(t, cases, notice), StatusCodes.Status200OK);
    }

    private static async Task<IResult> CaseAsync(HttpContext context, IClusterClient cluster, [Microsoft.AspNetCore.Mvc.FromQuery(Name = "id")] string? caseId)
    {
        var t = PageLanguage.Of(context, Texts);
        if (SignInNeeded(context, t) is { } signIn)
        {
            return signIn;
        }

        return await View(context, cluster, t, caseId ?? "", null) is { } page
            ? Html(page, StatusCodes.Status200OK)
            : Html(WorkbenchPage.Queue(t, [], t["NotFound"]), StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> DecideAsync(HttpContext context, IClusterClient cluster, [Microsoft.AspNetCore.Mvc.FromQuery(Name = "id")] string? caseId)
    {
        var t = PageLanguage.Of(context, Texts);
        if (SignInNeeded(context, t) is { } signIn)
        {
            return signIn;
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var reason = form["reason"].ToString().Trim();
        var decision = form["decision"].ToString();
        try
        {
            if (reason.Length is 0 or > 256 || decision is not ("approve" or "reject"))
            {
                throw new RpcException(new Status(StatusCode.InvalidArgument, t["Reason"]));
            }

            var (phone, status) = await Services.ReviewDecisions.DecideAsync(cluster, CallerRights.Of(context.User), ReviewerName(context), caseId ?? "", decision == "approve", reason);
            return Results.Redirect($"/review?decided={Uri.EscapeDataString(phone)}&status={Uri.EscapeDataString(status.ToString())}", permanent: false);
        }
        catch (RpcException refused)
        {
            var page = await View(context, cluster, t, caseId ?? "", t.Format("NotDecided", refused.Status.Detail));
            return page is null
                ? Html(WorkbenchPage.Queue(t, [], t["NotFound"]), StatusCodes.Status404NotFound)
                : Html(page, refused.StatusCode == StatusCode.PermissionDenied ? StatusCodes.Status403Forbidden : StatusCodes.Status400BadRequest);
        }
    }

    /// <summary>The case page, or null when no such case is pending within the reviewer's carriers.</summary>
    private static async Task<string?> View(HttpContext context, IClusterClient cluster, PageLanguage t, string caseId, string? error)
    {
        var rights = CallerRights.Of(context.User);
        var shard = await ReviewShards.Find(cluster, caseId);
        var found = shard is null ? null : await shard.Get(caseId);
        if (found is null || !rights.ActsFor(found.Channel.CarrierId))
        {
            return null;
        }

        var subscriber = cluster.GetGrain<ISubscriberGrain>(found.PhoneNumber);
        var record = await subscriber.GetRecord();
        var images = await subscriber.GetCaseEvidence(caseId);
        var numbers = record?.Owner is { } owner ? await cluster.GetGrain<IIdentityGrain>(owner.IdentityKey).GetNumbers() : [];
        return WorkbenchPage.Case(t, new WorkbenchCase(found, record, images, numbers, rights.ActsFor), error);
    }

    /// <summary>The sign-in form (403 for an authenticated non-reviewer) unless the caller is a reviewer; sets the caller for the grains.</summary>
    private static IResult? SignInNeeded(HttpContext context, PageLanguage t)
    {
        if (context.User.IsInRole(Roles.Reviewer))
        {
            CallerContext.Set(ReviewerName(context));
            return null;
        }

        var authenticated = context.User.Identity?.IsAuthenticated == true;
        return Html(WorkbenchPage.Login(t, authenticated ? t["NotReviewer"] : null), authenticated ? StatusCodes.Status403Forbidden : StatusCodes.Status200OK);
    }

    private static async Task<IResult> LoginAsync(HttpContext context, CallerCache callers)
    {
        var t = PageLanguage.Of(context, Texts);
        return await WebSignIn.TrySignInAsync(context, callers, Roles.Reviewer)
            ? Results.Redirect("/review", permanent: false)
            : Html(WorkbenchPage.Login(t, t["UnknownKey"]), StatusCodes.Status401Unauthorized);
    }

    private static IResult Logout(HttpContext context)
    {
        WebSignIn.SignOut(context);
        return Results.Redirect("/review", permanent: false);
    }

    private static string ReviewerName(HttpContext context) =>
        context.User.FindFirstValue(ClaimTypes.Name) ?? throw new InvalidOperationException("an authenticated reviewer is required");

    private static System.Collections.Immutable.ImmutableArray<string>? Carriers(HttpContext context) =>
        CallerRights.Of(context.User).CarrierIds is { Count: > 0 } carriers ? [.. carriers.Order(StringComparer.Ordinal)] : null;

    private static IResult Html(string body, int status) =>
        Results.Content(body, "text/html; charset=utf-8", System.Text.Encoding.UTF8, status);
}
