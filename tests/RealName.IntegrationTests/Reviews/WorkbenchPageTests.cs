using Microsoft.Playwright;
using RealName.Contracts.V1;
using RealName.IntegrationTests.Infrastructure;

namespace RealName.IntegrationTests.Reviews;

/// <summary>
/// The reviewers' workbench in a real headless Chromium: a reviewer signs in, sees the queue in Chinese, opens a
/// case with its document portrait and live photo side by side, switches to English and rejects it; the decision
/// goes through the same path as DecideReview and records the reviewer, and viewing the photos is audited.
/// </summary>
public sealed class WorkbenchPageTests
{
    [Fact]
    public async Task A_reviewer_decides_a_case_in_the_workbench_in_both_languages()
    {
        await using var grid = await GridFixture.StartAsync(new Dictionary<string, string>(LivenessSdk.SiloSettings) { ["Evidence:KeepImages"] = "true" });
        var channel = new RegistrationService.RegistrationServiceClient(grid.Gateway.As(Roles.RetailTerminal));
        var identity = Requests.NewResidentId();
        var holderPhone = Requests.NewPhoneNumber();
        await channel.RegisterSubscriberAsync(Requests.Register(holderPhone, identity));
        // Someone else's face under the same document: parked for a reviewer.
        var phone = Requests.NewPhoneNumber();
        var parked = await channel.RegisterSubscriberAsync(Requests.Register(phone, identity, face: Faces.Obama));
        Assert.Equal(SubscriberStatus.PendingReview, parked.Subscriber.Status);
        var caseId = parked.Subscriber.ReviewCaseId;

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var home = new Uri(grid.Gateway.WebAddress, "/review").ToString();

        // Chinese by default; an auditor's key is not a reviewer's.
        await page.GotoAsync(home);
        Assert.Equal("zh-CN", await page.GetAttributeAsync("html", "lang"));
        Assert.Contains("审核员", await page.Locator("body").TextContentAsync(), StringComparison.Ordinal);
        await page.FillAsync("#key", GatewayServer.KeyFor(Roles.Auditor));
        await page.ClickAsync("#sign-in");
        await page.WaitForPageAsync("**/review/login");
        Assert.Equal(1, await page.Locator("#login-error").CountAsync());
        await page.FillAsync("#key", GatewayServer.KeyFor(Roles.Reviewer));
        await page.ClickAsync("#sign-in");
        await page.WaitForPageAsync("**/review");

        // The queue lists the case; its page shows both photos, the scores, the identity's numbers and the history.
        Assert.Contains("待审核案件", await page.Locator("h2").First.TextContentAsync(), StringComparison.Ordinal);
        await page.ClickAsync($"tr[data-case='{caseId}'] a.open");
        await page.WaitForPageAsync("**/review/case?id=*");
        Assert.Equal(2, await page.Locator("img.evidence").CountAsync());
        Assert.Equal(1, await page.Locator("img.evidence[data-kind='portrait']").CountAsync());
        var photo = await page.Locator("img.evidence[data-kind='live']").BoundingBoxAsync();
        Assert.True(photo is { Width: > 50, Height: > 50 }, "the live photo renders");
        Assert.Contains("FACE_DIFFERS_FROM_ENROLLED", await page.Locator("#history").TextContentAsync(), StringComparison.Ordinal);
        Assert.Contains(holderPhone, await page.Locator("#identity-numbers").TextContentAsync(), StringComparison.Ordinal);
        Assert.True(await page.Locator("#scores tr").CountAsync() >= 3, "customer and enrolled-live comparisons");
        await Chromium.SaveScreenshotAsync(await page.ScreenshotAsync(new PageScreenshotOptions { FullPage = true }), "workbench-screenshot.png");

        // English on the toggle, remembered; the page fits its width (wide tables scroll in their own box).
        await page.ClickAsync("#language");
        await page.WaitForPageAsync("**/review/case?id=*&lang=en");
        Assert.Equal("en", await page.GetAttributeAsync("html", "lang"));
        Assert.Contains("Manual review workbench", await page.Locator("h1").TextContentAsync(), StringComparison.Ordinal);
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "no horizontal scroll of the page");

        // A decision without a reason is not sent; with one, the case is rejected and leaves the queue.
        await page.FillAsync("#reason", "Different person from the enrolled holder");
        await page.ClickAsync("#reject");
        await page.WaitForPageAsync("**/review?decided=*");
        Assert.Contains(phone, await page.Locator("#notice").TextContentAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator($"tr[data-case='{caseId}']").CountAsync());
        Assert.Equal("en", await page.GetAttributeAsync("html", "lang"));

        var record = (await channel.GetSubscriberAsync(new GetSubscriberRequest { PhoneNumber = phone })).Subscriber;
        Assert.Equal(SubscriberStatus.Rejected, record.Status);
        var reviewer = GatewayServer.NameFor(Roles.Reviewer);
        Assert.Equal($"REJECTED|{reviewer}|{reviewer}", await grid.Database.ScalarAsync<string>(
            "SELECT decision || '|' || actor || '|' || caller FROM audit_events WHERE event_type = 'REVIEW_DECIDED' AND phone_number = @p", ("p", phone)));
        Assert.Equal(reviewer, await grid.Database.ScalarAsync<string>(
            "SELECT caller FROM audit_events WHERE event_type = 'EVIDENCE_VIEWED' AND phone_number = @p", ("p", phone)));

        // A decided case cannot be opened again.
        var gone = await page.GotoAsync(new Uri(grid.Gateway.WebAddress, $"/review/case?id={Uri.EscapeDataString(caseId)}").ToString());
        Assert.Equal(404, gone!.Status);
    }

    [Fact]
    public async Task A_re_review_case_shows_the_live_photo_of_its_answer_until_it_is_decided()
    {
        // Every score is in the REVIEW band here, so the registration and the re-review answer both go to a reviewer.
        await using var grid = await GridFixture.StartAsync(new Dictionary<string, string>(LivenessSdk.SiloSettings)
        {
            ["Evidence:KeepImages"] = "true",
            ["Face:Decision:MatchThreshold"] = "0.99",
            ["Face:Decision:ReviewThreshold"] = "0.3252",
        });
        var channel = new RegistrationService.RegistrationServiceClient(grid.Gateway.As(Roles.RetailTerminal));
        var reviewer = new ReviewService.ReviewServiceClient(grid.Gateway.As(Roles.Reviewer));
        var phone = Requests.NewPhoneNumber();
        var parked = await channel.RegisterSubscriberAsync(Requests.Register(phone));
        await reviewer.DecideReviewAsync(new DecideReviewRequest { CaseId = parked.Subscriber.ReviewCaseId, Approve = true, Reason = "same person" });
        await new RiskService.RiskServiceClient(grid.Gateway.As(Roles.RiskOperator)).TriggerReReviewAsync(new TriggerReReviewRequest { PhoneNumber = phone, Trigger = ReReviewTrigger.Manual });
        var answered = await channel.ReVerifySubscriberAsync(new ReVerifySubscriberRequest
        {
            PhoneNumber = phone, LiveImage = Faces.Image(Faces.CardHolder.OtherLive), Channel = Requests.Retail(), RequestId = Guid.NewGuid().ToString("N"),
        });
        var caseId = answered.Subscriber.ReReview.ReviewCaseId;
        Assert.NotEmpty(caseId);

        using var web = new HttpClient { BaseAddress = grid.Gateway.WebAddress };
        web.DefaultRequestHeaders.Add("x-api-key", GatewayServer.KeyFor(Roles.Reviewer));
        var page = await web.GetStringAsync($"/review/case?id={Uri.EscapeDataString(caseId)}&lang=en");
        Assert.Contains("data-kind=\"live\"", page, StringComparison.Ordinal);
        Assert.Contains(Convert.ToBase64String(Faces.Image(Faces.CardHolder.OtherLive).ToByteArray())[..200], page, StringComparison.Ordinal);
        Assert.Contains("Re-review", page, StringComparison.Ordinal);

        await reviewer.DecideReviewAsync(new DecideReviewRequest { CaseId = caseId, Approve = true, Reason = "same person" });
        var gone = await web.GetAsync($"/review/case?id={Uri.EscapeDataString(caseId)}");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, gone.StatusCode);
    }
}
