using System.Globalization;
using Microsoft.Playwright;
using RealName.IntegrationTests.Infrastructure;

namespace RealName.IntegrationTests.Audit;

/// <summary>
/// The HTML report in a real headless Chromium (apt package "chromium"): sign in with the auditor key,
/// charts and figures render. Saves a screenshot to the test results folder, and to
/// docs/images/report-screenshot.png when REALNAME_UPDATE_SCREENSHOTS=1.
/// </summary>
[Collection(AuditCollection.Name)]
public sealed class AuditReportPageTests(AuditGridFixture grid)
{
    [Fact]
    public async Task Audit_report_page_signs_in_and_renders_charts_and_figures_in_chromium()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var from = Showcase.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var to = Showcase.To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var url = new Uri(grid.Gateway.WebAddress, $"/reports?from={from}&to={to}&bucket=month").ToString();

        // Not signed in: the login form.
        await page.GotoAsync(url);
        Assert.Equal(1, await page.Locator("form#login").CountAsync());

        // A non-auditor key is refused.
        await page.FillAsync("#key", GatewayServer.KeyFor(Roles.RiskOperator));
        await page.ClickAsync("#sign-in");
        Assert.Equal(1, await page.Locator("#login-error").CountAsync());

        await page.FillAsync("#key", GatewayServer.KeyFor(Roles.Auditor));
        await page.ClickAsync("#sign-in");
        await page.GotoAsync(url);

        await Chromium.SaveScreenshotAsync(await page.ScreenshotAsync(new PageScreenshotOptions { FullPage = true }), "report-screenshot.png");

        // Charts: rate over time (6 months), per outlet (14 bars, the bad outlet highlighted), refusals, funnel.
        Assert.Equal(6, await page.Locator("svg#chart-rate-time circle.point").CountAsync());
        Assert.Equal(14, await page.Locator("svg#chart-rate-outlet rect.bar").CountAsync());
        Assert.Equal(1, await page.Locator("svg#chart-rate-outlet rect.outlier").CountAsync());
        Assert.Contains(Showcase.BadOutlet, await page.Locator("svg#chart-rate-outlet rect.outlier title").TextContentAsync(), StringComparison.Ordinal);
        Assert.True(await page.Locator("svg#chart-refusals rect.bar").CountAsync() >= 2);
        Assert.Equal(6, await page.Locator("svg#chart-funnel rect.bar").CountAsync());
        var box = await page.Locator("svg#chart-rate-outlet").BoundingBoxAsync();
        Assert.True(box is { Width: > 100, Height: > 100 });

        // Figures: the totals table shows the showcase's registrations; the bad outlet's row is flagged.
        var registrations = await page.Locator("#totals td[data-figure='registrations']").TextContentAsync();
        Assert.Equal(Showcase.Registrations.ToString("N0", CultureInfo.InvariantCulture), registrations);
        Assert.Equal(1, await page.Locator("#by-outlet tr.outlier").CountAsync());
        Assert.Contains(Showcase.BadOutlet, await page.Locator("#by-outlet tr.outlier").TextContentAsync(), StringComparison.Ordinal);
        Assert.Equal(1, await page.Locator("a#csv-outlet").CountAsync());

        // Simplified Chinese by default; English on the toggle, with the same figures; the page never scrolls sideways.
        Assert.Equal("zh-CN", await page.GetAttributeAsync("html", "lang"));
        Assert.Contains("一致率", await page.Locator("h1").TextContentAsync(), StringComparison.Ordinal);
        Assert.Equal("登记数", await page.Locator("#totals th").First.TextContentAsync());
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "no horizontal scroll of the page (zh)");
        await page.ClickAsync("#language");
        await page.WaitForPageAsync("**lang=en");
        Assert.Equal("en", await page.GetAttributeAsync("html", "lang"));
        Assert.Contains("consistency rate", await page.Locator("h1").TextContentAsync(), StringComparison.Ordinal);
        Assert.Equal("registrations", await page.Locator("#totals th").First.TextContentAsync());
        Assert.Equal(registrations, await page.Locator("#totals td[data-figure='registrations']").TextContentAsync());
        Assert.Equal(1, await page.Locator("#by-outlet tr.outlier").CountAsync());
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "no horizontal scroll of the page (en)");
        await Chromium.SaveScreenshotAsync(await page.ScreenshotAsync(new PageScreenshotOptions { FullPage = true }), "report-screenshot-en.png");
    }
}
