using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using RealName.Contracts.V1;
using RealName.IntegrationTests.Infrastructure;

namespace RealName.IntegrationTests.Audit;

/// <summary>A re-review campaign against one outlet re-reviews exactly that outlet's numbers, in the background.</summary>
[Collection(AuditCollection.Name)]
public sealed class AuditCampaignTests(AuditGridFixture grid)
{
    private AuditService.AuditServiceClient Auditor => new(grid.Gateway.As(Roles.Auditor));

    private AuditService.AuditServiceClient Risk => new(grid.Gateway.As(Roles.RiskOperator));

    private RegistrationService.RegistrationServiceClient Channel => new(grid.Gateway.As(Roles.RetailTerminal));

    [Fact]
    public async Task Audit_campaign_re_reviews_exactly_the_targeted_outlets_numbers()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var targeted = "CMP-A-" + suffix;
        var spared = "CMP-B-" + suffix;
        var from = DateTimeOffset.UtcNow.AddMinutes(-1);
        var atTargeted = new List<string>();
        var atSpared = new List<string>();
        foreach (var (outlet, numbers, count) in new[] { (targeted, atTargeted, 3), (spared, atSpared, 2) })
        {
            for (var i = 0; i < count; i++)
            {
                var phone = Requests.NewPhoneNumber();
                var registered = await Channel.RegisterSubscriberAsync(Requests.Register(phone, Requests.NewResidentId(), outlet: outlet));
                Assert.Equal(SubscriberStatus.Active, registered.Subscriber.Status);
                numbers.Add(phone);
            }
        }

        const string TargetRowsWritten = "SELECT coalesce(sum(n_tup_ins), 0)::bigint FROM pg_stat_user_tables WHERE relname = 'campaign_targets'";
        var rowsBefore = await grid.Database.ScalarAsync<long>(TargetRowsWritten);
        var started = await Risk.StartReReviewCampaignAsync(new StartReReviewCampaignRequest
        {
            OutletId = targeted,
            From = Timestamp.FromDateTimeOffset(from),
            To = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddMinutes(1)),
        });
        Assert.Equal(3, started.Campaign.Targets);
        Assert.StartsWith("cmp-", started.Campaign.CampaignId, StringComparison.Ordinal);

        var done = await WaitForCompletion(started.Campaign.CampaignId);
        Assert.Equal((3L, 3L, 0L, 0L, 0L), (done.Processed, done.Started, done.AlreadyRunning, done.NotActive, done.Failed));
        // The targets were rows (schema 0106), written when it started and gone with its end.
        await Eventually.Get(() => grid.Database.ScalarAsync<long>(TargetRowsWritten), n => n >= rowsBefore + 3, TimeSpan.FromSeconds(30), "the campaign's three target rows counted as written");
        await Eventually.Get(
            () => grid.Database.ScalarAsync<long>("SELECT count(*) FROM campaign_targets WHERE campaign_id = @c", ("c", started.Campaign.CampaignId)),
            n => n == 0, TimeSpan.FromSeconds(30), "the completed campaign's target rows removed");
        Assert.NotNull(done.CompletedAt);
        Assert.Equal(targeted, done.OutletId);
        // The actor is the credential's caller, not a name in the request.
        Assert.Equal(GatewayServer.NameFor(Roles.RiskOperator), done.Actor);

        foreach (var phone in atTargeted)
        {
            var record = await Channel.GetSubscriberAsync(new GetSubscriberRequest { PhoneNumber = phone });
            Assert.Equal(SubscriberStatus.ReReviewRequired, record.Subscriber.Status);
        }

        foreach (var phone in atSpared)
        {
            var record = await Channel.GetSubscriberAsync(new GetSubscriberRequest { PhoneNumber = phone });
            Assert.Equal(SubscriberStatus.Active, record.Subscriber.Status);
        }

        // The log records the campaign as the trigger of each re-review.
        var trace = await Auditor.TraceNumberAsync(new TraceNumberRequest { PhoneNumber = atTargeted[0] });
        Assert.Contains(trace.Events, e => e.EventType == "RE_REVIEW_TRIGGERED" && e.Reasons.Contains("CAMPAIGN"));

        // The same campaign again finds them already in re-review.
        var again = await Risk.StartReReviewCampaignAsync(new StartReReviewCampaignRequest
        {
            OutletId = targeted,
            From = Timestamp.FromDateTimeOffset(from),
            To = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddMinutes(1)),
        });
        var second = await WaitForCompletion(again.Campaign.CampaignId);
        Assert.Equal((3L, 0L, 3L), (second.Processed, second.Started, second.AlreadyRunning));
    }

    [Fact]
    public async Task Audit_campaign_validation_and_unknown_ids()
    {
        var invalid = await Assert.ThrowsAsync<RpcException>(() => Risk.StartReReviewCampaignAsync(new StartReReviewCampaignRequest()).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, invalid.StatusCode);

        var missing = await Assert.ThrowsAsync<RpcException>(() => Auditor.GetReReviewCampaignAsync(new GetReReviewCampaignRequest { CampaignId = "cmp-" + Guid.NewGuid().ToString("N") }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);

        // A campaign with no targets completes at once.
        var empty = await Risk.StartReReviewCampaignAsync(new StartReReviewCampaignRequest
        {
            ClerkId = "nobody-" + Guid.NewGuid().ToString("N")[..6],
            From = Timestamp.FromDateTimeOffset(SeededHistory.From),
            To = Timestamp.FromDateTimeOffset(SeededHistory.To),
        });
        Assert.Equal(0, empty.Campaign.Targets);
        Assert.Equal(CampaignState.Completed, empty.Campaign.State);

        // Targets come from the log: approved registrations (P3 after its manual review), not refusals, not
        // registrations outside the period. The seeded numbers have no grain state, so none is active.
        var seeded = await Risk.StartReReviewCampaignAsync(new StartReReviewCampaignRequest
        {
            OutletId = SeededHistory.Outlet1,
            From = Timestamp.FromDateTimeOffset(SeededHistory.From),
            To = Timestamp.FromDateTimeOffset(SeededHistory.To),
        });
        Assert.Equal(4, seeded.Campaign.Targets);   // P1, P2, P3, P9
        var done = await WaitForCompletion(seeded.Campaign.CampaignId);
        Assert.Equal((4L, 4L, 0L), (done.Processed, done.NotActive, done.Started));
    }

    private async Task<ReReviewCampaign> WaitForCompletion(string campaignId) =>
        (await Eventually.Get(
            () => Auditor.GetReReviewCampaignAsync(new GetReReviewCampaignRequest { CampaignId = campaignId }).ResponseAsync,
            r => r.Campaign.State == CampaignState.Completed,
            TimeSpan.FromSeconds(60),
            $"campaign {campaignId} completing")).Campaign;
}
