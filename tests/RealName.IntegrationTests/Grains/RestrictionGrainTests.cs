using RealName.Grains;
using RealName.Grains.Restrictions;
using RealName.Grains.Subscribers;
using RealName.Rules;

namespace RealName.IntegrationTests.Grains;

/// <summary>A restriction holds on the grid's clock (a fake one here): from its start until its end.</summary>
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
}
