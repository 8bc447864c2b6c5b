using RealName.Grains;
using RealName.Grains.Campaigns;
using RealName.Grains.Subscribers;
using RealName.IntegrationTests.Infrastructure;

namespace RealName.IntegrationTests.Grains;

/// <summary>Every audit event names the authenticated caller; work on a campaign's timer names the caller who started it.</summary>
[Collection(GrainClusterCollection.Name)]
public sealed class CallerRecordTests(GrainClusterFixture fixture)
{
    [Fact]
    public async Task Registrations_record_their_caller_and_a_campaign_records_whoever_started_it_on_every_re_review()
    {
        var outlet = "CMP-" + Guid.NewGuid().ToString("N")[..8];
        var phones = new[] { GrainRequests.NewPhoneNumber(), GrainRequests.NewPhoneNumber() };
        CallerContext.Set("terminal-key-7");
        foreach (var phone in phones)
        {
            var outcome = await fixture.Grains.GetGrain<ISubscriberGrain>(phone).Register(GrainRequests.Personal(GrainRequests.NewIdentityKey(), GrainRequests.Retail(outlet)));
            Assert.Null(outcome.Refusal);
        }

        var now = GrainClusterFixture.Clock.GetUtcNow();
        CallerContext.Set("risk-key-3");
        var campaign = fixture.Grains.GetGrain<ICampaignGrain>("cmp-" + Guid.NewGuid().ToString("N"));
        var started = await campaign.Start(new CampaignDefinition(outlet, null, now.AddHours(-1), now.AddHours(1), "risk-operator-wang"));
        CallerContext.Set("");
        Assert.Equal(2, started.Targets);

        await Eventually.Get(
            async () =>
            {
                GrainClusterFixture.Clock.Advance(TimeSpan.FromSeconds(1));
                return await campaign.GetProgress();
            },
            p => p!.Completed,
            TimeSpan.FromSeconds(30),
            "the campaign finishing");

        foreach (var phone in phones)
        {
            Assert.Equal("terminal-key-7", await Caller(phone, "REGISTRATION_DECIDED"));
            Assert.Equal("risk-key-3", await Caller(phone, "RE_REVIEW_TRIGGERED"));
        }
    }

    private Task<string?> Caller(string phone, string type) =>
        fixture.Database.ScalarAsync<string>("SELECT caller FROM audit_events WHERE phone_number = @p AND event_type = @t", ("p", phone), ("t", type));
}
