using System.Net;
using RealName.IntegrationTests.Infrastructure;

namespace RealName.IntegrationTests.Operations;

/// <summary>
/// Without Telemetry:Dashboard the grid has no dashboard: its pages and sign-in form answer as any path the gateway
/// does not serve (the fallback policy: 403 to a signed-in caller, 401 to anyone else), the ADMIN role included, and
/// the rest of the web port is unchanged.
/// </summary>
[Collection(GridCollection.Name)]
public sealed class DashboardOffTests(GridFixture grid)
{
    [Fact]
    public async Task A_grid_without_the_setting_serves_no_dashboard_and_no_sign_in_form()
    {
        using var admin = grid.Gateway.Web(Roles.Admin);
        using var anonymous = grid.Gateway.Web(null);
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.GetAsync("/no-such-page/")).StatusCode);

        foreach (var path in new[] { "/dashboard/", "/dashboard/DashboardCounters", "/ops/login" })
        {
            var page = await admin.GetAsync(path);
            Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
            Assert.Empty(await page.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(path)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/metrics")).StatusCode);
    }
}
