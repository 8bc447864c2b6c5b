using Microsoft.Playwright;

namespace RealName.IntegrationTests.Infrastructure;

/// <summary>A real headless Chromium (apt package "chromium") driven by Playwright, and where its screenshots go.</summary>
internal static class Chromium
{
    private static readonly string[] Args =
        ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    /// <summary>
    /// Wait for a navigation until the new document is committed, with room for a loaded machine; then until the
    /// document is parsed, read from the page itself (document.readyState). Our pages are rendered on the server, so
    /// the DOM is the page. Waiting for Playwright's DOMContentLoaded state instead failed in CI: the browser was at
    /// the right URL showing the whole page, and the wait still ran out after 60 s.
    /// </summary>
    private static readonly PageWaitForURLOptions Committed = new() { WaitUntil = WaitUntilState.Commit, Timeout = 60_000 };

    /// <summary>
    /// Waits for the page to reach <paramref name="urlGlob"/> (<see cref="Committed"/>); if it does not, the failure says
    /// where the browser is and what it shows, so a timeout on a CI machine can be read from the test output alone.
    /// </summary>
    public static async Task WaitForPageAsync(this IPage page, string urlGlob)
    {
        try
        {
            await page.WaitForURLAsync(urlGlob, Committed);
            await page.WaitForFunctionAsync("document.readyState !== 'loading'", null, new PageWaitForFunctionOptions { Timeout = 60_000, PollingInterval = 100 });
        }
        catch (TimeoutException ex)
        {
            string shown;
            try
            {
                shown = await page.Locator("body").InnerTextAsync(new LocatorInnerTextOptions { Timeout = 5_000 });
            }
            catch (PlaywrightException read)
            {
                shown = "(the page could not be read: " + read.Message + ")";
            }

            throw new TimeoutException($"the browser did not reach {urlGlob} within {Committed.Timeout / 1000:0} s; it is at {page.Url} showing: {shown[..Math.Min(shown.Length, 1500)]}", ex);
        }
    }

    public static Task<IBrowser> LaunchAsync(IPlaywright playwright) =>
        playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Path(), Headless = true, Args = Args });

    /// <summary>Saves a screenshot to the test results folder, and to docs/images when REALNAME_UPDATE_SCREENSHOTS=1.</summary>
    public static async Task SaveScreenshotAsync(byte[] shot, string fileName)
    {
        var results = System.IO.Path.Combine(Environment.GetEnvironmentVariable("REALNAME_DATA") ?? System.IO.Path.Combine(TestEnvironment.RepoRoot, "data"), "test-results");
        Directory.CreateDirectory(results);
        await File.WriteAllBytesAsync(System.IO.Path.Combine(results, fileName), shot);
        if (Environment.GetEnvironmentVariable("REALNAME_UPDATE_SCREENSHOTS") == "1")
        {
            var docs = System.IO.Path.Combine(TestEnvironment.RepoRoot, "docs", "images");
            Directory.CreateDirectory(docs);
            await File.WriteAllBytesAsync(System.IO.Path.Combine(docs, fileName), shot);
        }
    }

    private static string Path()
    {
        var configured = Environment.GetEnvironmentVariable("REALNAME_CHROMIUM");
        if (!string.IsNullOrEmpty(configured))
        {
            return configured;
        }

        foreach (var candidate in new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" })
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("Chromium not found: install the apt package 'chromium' (scripts/prereqs.sh does) or set REALNAME_CHROMIUM.");
    }
}
