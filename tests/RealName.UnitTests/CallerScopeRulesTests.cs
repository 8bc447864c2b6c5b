using RealName.Rules;
using System.Collections.Immutable;
using System.Security.Claims;
using RealName.Gateway.Security;
using RealName.Grains;
using RealName.Grains.Callers;
using RealName.Storage.Reads;

namespace RealName.UnitTests;

/// <summary>The scope rules of callers (what each role may be limited to) and the gateway's scope checks, without a grid.</summary>
public sealed class CallerScopeRulesTests
{
    [Theory]
    [InlineData(CallerRoles.RetailTerminal, "cmcc", "", "", "")]
    [InlineData(CallerRoles.OnlineSales, "cmcc", "APP-1", "ONLINE", "sdk-7")]
    [InlineData(CallerRoles.Reviewer, "", "", "", "")]
    [InlineData(CallerRoles.Reviewer, "cmcc", "", "", "")]
    [InlineData(CallerRoles.RiskOperator, "", "", "", "")]
    [InlineData(CallerRoles.Auditor, "", "", "", "")]
    [InlineData(CallerRoles.Admin, "", "", "", "")]
    public void A_scope_that_fits_the_role_has_no_problems(string role, string carrier, string outlet, string kind, string device) =>
        Assert.Empty(Define(role, carrier, outlet, kind, device).Problems());

    [Theory]
    [InlineData(CallerRoles.RetailTerminal, "", "", "", "", "scope.carrier_ids", "SCOPE_REQUIRED")]
    [InlineData(CallerRoles.RetailTerminal, "cmcc", "", "ONLINE", "", "scope.channel_kind", "SCOPE_NOT_ALLOWED")]
    [InlineData(CallerRoles.Reviewer, "cmcc", "SH-001", "", "", "scope", "SCOPE_NOT_ALLOWED")]
    [InlineData(CallerRoles.Auditor, "cmcc", "", "", "", "scope.carrier_ids", "SCOPE_NOT_ALLOWED")]
    [InlineData(CallerRoles.Admin, "", "", "", "reader-1", "scope", "SCOPE_NOT_ALLOWED")]
    [InlineData("channel", "cmcc", "", "", "", "role", "REQUIRED")]
    public void A_scope_that_does_not_fit_the_role_is_refused_with_the_field(string role, string carrier, string outlet, string kind, string device, string field, string reason)
    {
        var problem = Assert.Single(Define(role, carrier, outlet, kind, device).Problems());
        Assert.Equal(field, problem.Field);
        Assert.StartsWith(reason, problem.Problem, StringComparison.Ordinal);
    }

    /// <summary>Found by buf curl against a running grid: a caller named "system" suspended an outlet as if the grid had.</summary>
    [Theory]
    [InlineData("system")]
    [InlineData("System")]
    [InlineData("bootstrap")]
    [InlineData("BOOTSTRAP")]
    public void Regression_the_names_the_grid_records_for_itself_cannot_be_issued(string name)
    {
        var problem = Assert.Single((Define(CallerRoles.RiskOperator, "", "", "", "") with { Name = name }).Problems());
        Assert.Equal("name", problem.Field);
        Assert.StartsWith("CALLER_NAME_RESERVED", problem.Problem, StringComparison.Ordinal);
        Assert.Empty((Define(CallerRoles.RiskOperator, "", "", "", "") with { Name = name + "-ops" }).Problems());
    }

    [Fact]
    public void A_terminal_is_denied_other_carriers_outlets_kinds_and_devices_and_cancels_only_at_its_own_outlet()
    {
        var rights = Rights(new CallerRow("t", CallerRoles.RetailTerminal, ["cmcc"], ["SH-001"], "RETAIL", ["reader-1"], DateTimeOffset.UnixEpoch, "a", null, null, []));
        var own = new ChannelFacts(ChannelKind.Retail, "cmcc", "310000", "SH-001", "clerk-1", "reader-1");

        rights.Require(own);
        Assert.True(rights.IsOutletOf(own));
        foreach (var other in new[] { own with { CarrierId = "cu" }, own with { OutletId = "SH-002" }, own with { Kind = ChannelKind.Online }, own with { DeviceId = "reader-2" } })
        {
            var denied = Assert.Throws<Grpc.Core.RpcException>(() => rights.Require(other));
            Assert.Equal(Grpc.Core.StatusCode.PermissionDenied, denied.StatusCode);
        }

        Assert.False(rights.IsOutletOf(own with { Kind = ChannelKind.Online }));
        Assert.False(rights.ActsFor("cu"));
    }

    [Fact]
    public void A_reviewer_without_carriers_acts_for_every_carrier_but_is_never_the_outlet_of_a_number()
    {
        var rights = Rights(new CallerRow("r", CallerRoles.Reviewer, [], [], null, [], DateTimeOffset.UnixEpoch, "a", null, null, []));

        Assert.True(rights.ActsFor("any-carrier"));
        Assert.False(rights.IsOutletOf(new ChannelFacts(ChannelKind.Retail, "cmcc", "310000", "SH-001", "clerk-1", "reader-1")));
    }

    private static CallerDefinition Define(string role, string carrier, string outlet, string kind, string device) => new CallerDefinition(
        "caller-1", role, Values(carrier), Values(outlet), kind.Length == 0 ? null : kind, Values(device)).Normalized();

    private static ImmutableArray<string> Values(string value) => value.Length == 0 ? [] : [value];

    private static CallerRights Rights(CallerRow row) => CallerRights.Of(CallerPrincipal.Create(row, "test"));
}
