using RealName.Grains;
using RealName.Grains.Restrictions;
using RealName.Grains.Subscribers;
using RealName.IntegrationTests.Infrastructure;
using RealName.Rules;
using RealName.Storage;

namespace RealName.IntegrationTests.Grains;

/// <summary>
/// On the grid's clock (a fake one here): a restriction holds from its start until its end; an attempt past the
/// identity's rate is refused and its risk event loses its personal fields after Retention:AfterRefusal like any refusal.
/// </summary>
[Collection(GrainClusterCollection.Name)]
public sealed class RestrictionGrainTests(GrainClusterFixture fixture)
{
    [Fact]
    public async Task A_restriction_refuses_registrations_until_its_end_on_the_grid_clock_and_then_expires()
    {
        var identity = GrainRequests.NewIdentityKey();
        var now = GrainClusterFixture.Clock.GetUtcNow();
        var order = new RestrictionOrder(Guid.NewGuid().ToString("N"), DocumentKind.ResidentId, "310***12", "test", "PSB-1", null, now.AddMinutes(7));
        CallerContext.Set("risk-key-restrict");
        var restricted = await fixture.Grains.GetGrain<IRestrictionGrain>(identity).Restrict(order, "risk-1");
        CallerContext.Set("");
        Assert.Equal(RestrictionStatus.Active, restricted.Restriction!.StatusAt(now));

        var refused = await fixture.Grains.GetGrain<ISubscriberGrain>(GrainRequests.NewPhoneNumber()).Register(GrainRequests.Personal(identity));
        Assert.Equal("IDENTITY_RESTRICTED", refused.Refusal?.Code);

        GrainClusterFixture.Clock.Advance(TimeSpan.FromMinutes(7));
        Assert.Null(await fixture.Grains.GetGrain<IRestrictionGrain>(identity).ActiveRestriction());
        var admitted = await fixture.Grains.GetGrain<ISubscriberGrain>(GrainRequests.NewPhoneNumber()).Register(GrainRequests.Personal(identity));
        Assert.Null(admitted.Refusal);
        Assert.Equal(RestrictionStatus.Expired, Assert.Single(await fixture.Grains.GetGrain<IRestrictionGrain>(identity).List()).StatusAt(GrainClusterFixture.Clock.GetUtcNow()));
        Assert.Equal("risk-1|risk-key-restrict", await fixture.Database.ScalarAsync<string>(
            "SELECT actor || '|' || caller FROM audit_events WHERE event_type = 'RESTRICTION_ADDED' AND identity_key = @k", ("k", identity)));
    }

    [Fact]
    public async Task The_sixteenth_attempt_of_an_identity_is_TOO_MANY_ATTEMPTS_and_its_risk_event_is_purged_after_the_refusal_retention()
    {
        var taken = GrainRequests.NewPhoneNumber();
        Assert.Null((await fixture.Grains.GetGrain<ISubscriberGrain>(taken).Register(GrainRequests.Personal(GrainRequests.NewIdentityKey()))).Refusal);
        var identity = GrainRequests.NewIdentityKey();
        for (var i = 0; i < 15; i++)
        {
            var refused = await fixture.Grains.GetGrain<ISubscriberGrain>(taken).Register(GrainRequests.Personal(identity));
            Assert.Equal("NUMBER_ALREADY_REGISTERED", refused.Refusal?.Code);
        }

        var phone = GrainRequests.NewPhoneNumber();
        var attempt = GrainRequests.Personal(identity);
        var limited = await fixture.Grains.GetGrain<ISubscriberGrain>(phone).Register(attempt);
        Assert.Equal(("TOO_MANY_ATTEMPTS", "identity"), (limited.Refusal?.Code, limited.Refusal?.Details["counter"]));
        Assert.Null(await fixture.Grains.GetGrain<ISubscriberGrain>(phone).GetRecord());
        Assert.Equal(1L, await fixture.Database.ScalarAsync<long>(
            "SELECT count(*) FROM audit_events WHERE phone_number = @p AND identity_key = @k AND event_type = 'REGISTRATION_ATTEMPTS_LIMITED'", ("p", phone), ("k", identity)));

        GrainClusterFixture.Clock.Advance(TimeSpan.FromHours(2));
        await Eventually.Get(
            () => fixture.Database.ScalarAsync<long>("SELECT count(*) FROM audit_events WHERE phone_number = @p OR identity_key = @k", ("p", phone), ("k", identity)),
            n => n == 0, TimeSpan.FromSeconds(30), "the retention reminder to purge the limited attempt's risk event");
        Assert.Equal(1L, await fixture.Database.ScalarAsync<long>(
            "SELECT count(*) FROM audit_events WHERE event_type = 'REGISTRATION_ATTEMPTS_LIMITED' AND phone_number IS NULL AND personal_digest IS NOT NULL AND details::jsonb->>'counter' = 'identity' AND event_id = @e",
            ("e", DeterministicIds.From(DeterministicIds.AttemptsLimited, phone, attempt.IdempotencyKey, "identity", "minute"))));
    }
}
