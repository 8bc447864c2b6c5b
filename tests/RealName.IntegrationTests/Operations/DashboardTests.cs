using System.Net;
using RealName.Contracts.V1;
using RealName.IntegrationTests.Infrastructure;

namespace RealName.IntegrationTests.Operations;

/// <summary>A grid with the Orleans dashboard on (Telemetry:Dashboard) on its silo and its gateway.</summary>
public sealed class DashboardGridFixture : GridFixture
{
    private const string On = "true";

    protected override IReadOnlyDictionary<string, string> SiloSettings => new Dictionary<string, string>(base.SiloSettings)
    {
        ["Telemetry:Dashboard"] = On,
    };

    protected override IReadOnlyDictionary<string, string?> GatewaySettings => new Dictionary<string, string?>(base.GatewaySettings)
    {
        ["Telemetry:Dashboard"] = On,
    };
}

/// <summary>The Orleans dashboard on the gateway's web port: ADMIN only, and no personal data in what it shows.</summary>
public sealed class DashboardTests(DashboardGridFixture grid) : IClassFixture<DashboardGridFixture>
{

    [Fact]
    public async Task A_browser_without_a_key_is_sent_to_the_sign_in_form_and_a_non_admin_is_forbidden()
    {
        using var anonymous = grid.Gateway.Web(null);
        var redirected = await anonymous.GetAsync("/dashboard/");
        Assert.Equal(HttpStatusCode.Redirect, redirected.StatusCode);
        Assert.Equal("/ops/login", redirected.Headers.Location?.OriginalString);
        Assert.Contains("action=\"/ops/login\"", await anonymous.GetStringAsync("/ops/login"), StringComparison.Ordinal);
        Assert.Contains("administrator (ADMIN)", await anonymous.GetStringAsync("/ops/login?lang=en"), StringComparison.Ordinal);

        foreach (var role in new[] { Roles.Auditor, Roles.Reviewer, Roles.RetailTerminal })
        {
            using var other = grid.Gateway.Web(role);
            Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync("/dashboard/")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync("/dashboard/DashboardCounters")).StatusCode);
        }
    }

    [Fact]
    public async Task The_admin_signs_in_and_sees_silos_grain_types_and_reminders_with_numbers_masked()
    {
        var phone = Requests.NewPhoneNumber();
        await new RegistrationService.RegistrationServiceClient(grid.Gateway.As(Roles.RetailTerminal)).RegisterSubscriberAsync(Requests.Register(phone));
        // Subscribers schedule their work in due_work now; a grid upgraded from an earlier version still holds the
        // per-number reminders it stored (due in a day here, so it stays listed while the test reads the pages).
        await grid.Database.ScalarAsync<int>(
            "INSERT INTO orleansreminderstable (serviceid, grainid, remindername, starttime, period, grainhash, version) " +
            "SELECT serviceid, @g, 'periodic-re-review', now() + interval '1 day', @p, @h, 0 FROM orleansreminderstable LIMIT 1",
            ("g", "subscriber/" + phone), ("p", (long)TimeSpan.FromDays(365).TotalMilliseconds), ("h", (int)GrainId.Create("subscriber", phone).GetUniformHashCode()));

        // The sign-in form sets the same cookie as the report page's; the cookie alone then opens the dashboard.
        using var browser = grid.Gateway.Web(null);
        var signIn = await browser.PostAsync("/ops/login", new FormUrlEncodedContent([new("key", GatewayServer.KeyFor(Roles.Admin))]));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var cookie = Assert.Single(signIn.Headers.GetValues("Set-Cookie")).Split(';')[0];
        using var page = new HttpRequestMessage(HttpMethod.Get, "/dashboard/");
        page.Headers.Add("Cookie", cookie);
        var html = await browser.SendAsync(page);
        Assert.Equal(HttpStatusCode.OK, html.StatusCode);
        Assert.Contains("<html", await html.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);

        using var admin = grid.Gateway.Web(Roles.Admin);
        var counters = await Eventually.Get(
            () => admin.GetStringAsync("/dashboard/DashboardCounters"),
            json => json.Contains("subscriber", StringComparison.OrdinalIgnoreCase),
            TimeSpan.FromSeconds(30),
            "the dashboard's counters listing the subscriber grain type");
        Assert.Contains(grid.Silo.SiloPort.ToString(System.Globalization.CultureInfo.InvariantCulture), counters, StringComparison.Ordinal);

        // The dashboard lists reminders a page at a time (the grid's own reminders come first), so read every page.
        var masked = phone[..3] + "******" + phone[^2..];
        var reminders = await Eventually.Get(
            () => AllReminderPages(admin),
            json => json.Contains(masked, StringComparison.Ordinal),
            TimeSpan.FromSeconds(30),
            "the subscriber's stored re-review reminder, masked, on one of the dashboard's reminder pages");
        Assert.DoesNotContain(phone, reminders, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/dashboard/GrainState?grainId=subscriber/" + phone)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/dashboard/Trace")).StatusCode);
    }

    private static async Task<string> AllReminderPages(HttpClient admin)
    {
        var pages = new List<string>();
        for (var page = 1; page <= 50; page++)
        {
            var json = await admin.GetStringAsync($"/dashboard/Reminders/{page}");
            pages.Add(json);
            if (!json.Contains("\"grainReference\"", StringComparison.Ordinal))
            {
                break;
            }
        }

        return string.Concat(pages);
    }
}
