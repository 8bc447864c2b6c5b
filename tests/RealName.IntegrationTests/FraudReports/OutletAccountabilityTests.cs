using Grpc.Core;
using RealName.Contracts.V1;
using RealName.IntegrationTests.Callers;
using RealName.IntegrationTests.Infrastructure;

namespace RealName.IntegrationTests.FraudReports;

/// <summary>Outlet accountability over real gRPC: confirmed fraud suspends an outlet (threshold 2 in this grid) and re-reviews its numbers.</summary>
[Collection(FraudReportCollection.Name)]
public sealed class OutletAccountabilityTests(FraudReportGridFixture grid)
{
    private AuditService.AuditServiceClient Campaigns => new(grid.Gateway.As(Roles.RiskOperator));

    private async Task<Contracts.V1.OutletSuspension?> Suspension(string outlet) =>
        (await grid.Risk.ListSuspendedOutletsAsync(new ListSuspendedOutletsRequest())).Outlets.SingleOrDefault(o => o.OutletId == outlet);

    [Fact]
    public async Task An_outlet_past_the_threshold_is_suspended_refuses_registrations_is_re_reviewed_and_admits_again_when_reinstated()
    {
        var outlet = "FR-OUT-" + Guid.NewGuid().ToString("N")[..6];
        var bystander = await grid.RegisteredAsync(outlet);
        var reported = new[] { await grid.RegisteredAsync(outlet), await grid.RegisteredAsync(outlet) };
        foreach (var phone in reported)
        {
            await grid.Risk.ReportFraudAsync(new ReportFraudRequest { PhoneNumber = phone, ReportId = "rep-out-" + phone, Source = FraudReportSource.PoliceNotice });
            var failed = await grid.Channel.ReVerifySubscriberAsync(new ReVerifySubscriberRequest
            {
                PhoneNumber = phone, LiveImage = Faces.Image(Faces.Stranger), Channel = Requests.Retail(outlet), RequestId = Guid.NewGuid().ToString("N"),
            });
            Assert.Equal(SubscriberStatus.Suspended, failed.Subscriber.Status);
        }

        var suspension = await Eventually.Get(() => Suspension(outlet), s => s is not null, FraudReportGridFixture.Patience, "the automatic suspension");
        var refused = await RpcAssert.Refused("OUTLET_SUSPENDED", () => grid.Channel.RegisterSubscriberAsync(Requests.Register(Requests.NewPhoneNumber(), Requests.NewResidentId(), outlet: outlet)));
        var campaign = await Eventually.Get(
            async () => (await Campaigns.GetReReviewCampaignAsync(new GetReReviewCampaignRequest { CampaignId = suspension!.CampaignId })).Campaign,
            c => c.State == CampaignState.Completed, FraudReportGridFixture.Patience, "the outlet's campaign");
        var bystanderNow = (await grid.Channel.GetSubscriberAsync(new GetSubscriberRequest { PhoneNumber = bystander })).Subscriber;

        Assert.Equal(("system", "FRAUD_THRESHOLD", 2), (suspension!.SuspendedBy, suspension.Reason, suspension.ConfirmedFraudReports));
        Assert.Equal(outlet, refused.Metadata["outlet_id"]);
        Assert.Equal(outlet, campaign.OutletId);
        Assert.Equal((3L, 1L, 2L), (campaign.Targets, campaign.Started, campaign.NotActive));
        Assert.Equal(ReReviewTrigger.Campaign, bystanderNow.ReReview?.Trigger);
        Assert.Equal("system/FRAUD_THRESHOLD", await grid.Database.ScalarAsync<string>(
            "SELECT caller || '/' || reasons[1] FROM audit_events WHERE outlet_id = @o AND event_type = 'OUTLET_SUSPENDED'", ("o", outlet)));
        Assert.Equal(1L, await grid.Database.ScalarAsync<long>(
            "SELECT count(*) FROM audit_events WHERE outlet_id = @o AND event_type = 'REGISTRATION_DECIDED' AND decision = 'REFUSED' AND 'OUTLET_SUSPENDED' = ANY (reasons)", ("o", outlet)));

        var reinstated = await grid.Risk.ReinstateOutletAsync(new ReinstateOutletRequest { OutletId = outlet, Reason = "Clerk retrained, agency contract renewed." });
        var admitted = await grid.Channel.RegisterSubscriberAsync(Requests.Register(Requests.NewPhoneNumber(), Requests.NewResidentId(), outlet: outlet));

        Assert.Equal(outlet, reinstated.OutletId);
        Assert.Equal(SubscriberStatus.Active, admitted.Subscriber.Status);
        Assert.Null(await Suspension(outlet));
        Assert.Equal(GatewayServer.NameFor(Roles.RiskOperator), await grid.Database.ScalarAsync<string>(
            "SELECT caller FROM audit_events WHERE outlet_id = @o AND event_type = 'OUTLET_REINSTATED'", ("o", outlet)));
        await RpcAssert.Refused("OUTLET_NOT_SUSPENDED", () => grid.Risk.ReinstateOutletAsync(new ReinstateOutletRequest { OutletId = outlet, Reason = "again" }));
    }

    [Fact]
    public async Task A_risk_operator_suspends_an_outlet_by_hand_and_a_carrier_scoped_one_may_not()
    {
        var outlet = "FR-HAND-" + Guid.NewGuid().ToString("N")[..6];
        var scoped = new RiskService.RiskServiceClient(grid.Gateway.WithKey(
            (await TestCallers.IssueAsync(grid.Gateway, "fr-risk-cmcc", CallerRole.RiskOperator, ["cmcc"])).ApiKey));
        var request = new SuspendOutletRequest { OutletId = outlet, Reason = "Mystery shopper: registrations without the customer present." };

        await TestCallers.Denied(StatusCode.PermissionDenied, "CALLER_SCOPE_MISMATCH", () => scoped.SuspendOutletAsync(request).ResponseAsync);
        var suspended = await grid.Risk.SuspendOutletAsync(request);
        var again = await grid.Risk.SuspendOutletAsync(request);

        Assert.Equal((GatewayServer.NameFor(Roles.RiskOperator), request.Reason, ""), (suspended.Suspension.SuspendedBy, suspended.Suspension.Reason, suspended.Suspension.CampaignId));
        Assert.Equal(suspended, again);
        Assert.NotNull(await Suspension(outlet));
        await RpcAssert.Refused("OUTLET_SUSPENDED", () => grid.Channel.RegisterSubscriberAsync(Requests.Register(Requests.NewPhoneNumber(), Requests.NewResidentId(), outlet: outlet)));
        Assert.StartsWith("FIELD_REQUIRED", await RpcAssert.Invalid("reason", () => grid.Risk.ReinstateOutletAsync(new ReinstateOutletRequest { OutletId = outlet })), StringComparison.Ordinal);
        await grid.Risk.ReinstateOutletAsync(new ReinstateOutletRequest { OutletId = outlet, Reason = "Checked." });
    }
}
