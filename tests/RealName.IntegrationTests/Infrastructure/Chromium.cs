using Microsoft.Playwright;

namespace RealName.IntegrationTests.Infrastructure;

/// <summary>A real headless Chromium (apt package "chromium") driven by Playwright, and where its screenshots go.</summary>
internal static class Chromium
{
    private static readonly string[] Args =
        ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    private static readonly TimeSpan PageTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Waits until the page is at <paramref name="urlGlob"/> (Playwright's glob: <c>**</c> any text, <c>*</c> any text
    /// without '/') and its document is parsed, with room for a loaded machine; if it does not get there, the failure
    /// says where the browser is and what it shows. Our pages are rendered on the server, so the parsed DOM is the page.
    /// </summary>
    /// <remarks>
    /// Both are polled from here (the page's URL, then <c>document.readyState</c>). Playwright's own WaitForURL, with
    /// DOMContentLoaded and then with Commit, failed three times in CI on the workbench's sign-in: when the URL already
    /// matched it waited for a load state, and that wait ran out after 60 s on a page that was at the right URL showing
    /// all of its content.
    /// </remarks>
    public static async Task WaitForPageAsync(this IPage page, string urlGlob)
    {
        var pattern = new System.Text.RegularExpressions.Regex(GlobPattern(urlGlob));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < PageTimeout)
        {
            if (pattern.IsMatch(page.Url) && await ReadyStateAsync(page) is "interactive" or "complete")
            {
                return;
            }

            await Task.Delay(100);
        }

        string shown;
        try
        {
            shown = await page.Locator("body").InnerTextAsync(new LocatorInnerTextOptions { Timeout = 5_000 });
        }
        catch (PlaywrightException read)
        {
            shown = "(the page could not be read: " + read.Message + ")";
        }

        throw new TimeoutException($"the browser did not reach {urlGlob} within {PageTimeout.TotalSeconds:0} s; it is at {page.Url} (document {await ReadyStateAsync(page)}) showing: {shown[..Math.Min(shown.Length, 1500)]}");
    }

    /// <summary>The document's readyState, or null while a navigation replaces the document.</summary>
    private static async Task<string?> ReadyStateAsync(IPage page)
    {
        try
        {
            return await page.EvaluateAsync<string>("document.readyState");
        }
        catch (PlaywrightException)
        {
            return null; // the execution context went away with a navigation: ask again
        }
    }

    /// <summary>A Playwright URL glob as an anchored regular expression.</summary>
    internal static string GlobPattern(string glob)
    {
        var pattern = new System.Text.StringBuilder("^");
        for (var i = 0; i < glob.Length; i++)
        {
            if (glob[i] == '*' && i + 1 < glob.Length && glob[i + 1] == '*')
            {
                pattern.Append(".*");
                i++;
            }
            else if (glob[i] == '*')
            {
                pattern.Append("[^/]*");
            }
            else
            {
                pattern.Append(System.Text.RegularExpressions.Regex.Escape(glob[i].ToString()));
            }
        }

        return pattern.Append('$').ToString();
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
