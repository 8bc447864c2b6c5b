using System.Collections.Immutable;
using RealName.Grains;
using RealName.Grains.Identities;
using RealName.Grains.Subscribers;
using RealName.IntegrationTests.Infrastructure;
using RealName.Rules;

namespace RealName.IntegrationTests.Grains;

/// <summary>The identity's enrolled face and its quota cannot be bypassed (issue 9).</summary>
[Collection(GrainClusterCollection.Name)]
public sealed class IdentityIntegrityGrainTests(GrainClusterFixture fixture)
{
    private ISubscriberGrain Subscriber(string phone) => fixture.Grains.GetGrain<ISubscriberGrain>(phone);

    private IIdentityGrain Identity(string key) => fixture.Grains.GetGrain<IIdentityGrain>(key);

    [Fact]
    public async Task A_registration_whose_face_differs_from_the_enrolled_face_goes_to_review_and_the_holder_still_goes_active()
    {
        var identity = GrainRequests.NewIdentityKey();
        var holder = await Subscriber(GrainRequests.NewPhoneNumber()).Register(GrainRequests.Personal(identity));
        Assert.Equal(SubscriberStatus.Active, holder.Record!.Status);

        // Someone else with a forged card of the same number: their own portrait, their own live face.
        var phone = GrainRequests.NewPhoneNumber();
        var forged = GrainRequests.Personal(identity, face: Faces.Obama);
        var outcome = await Subscriber(phone).Register(forged);

        Assert.Null(outcome.Refusal);
        Assert.Equal(SubscriberStatus.PendingReview, outcome.Record!.Status);
        Assert.Contains("FACE_DIFFERS_FROM_ENROLLED", Assert.Single(outcome.Record.History).Reasons);
        var enrolled = Assert.Single(outcome.Record.Faces, f => f.Person == "enrolled-live");
        Assert.Equal("NO_MATCH", enrolled.Decision);
        Assert.NotNull(outcome.Record.ReviewCaseId);
        var eventId = RealName.Storage.DeterministicIds.From("registration", phone, forged.IdempotencyKey);
        Assert.Equal("PENDING_REVIEW|FACE_DIFFERS_FROM_ENROLLED", await fixture.Database.ScalarAsync<string>(
            "SELECT decision || '|' || array_to_string(reasons, ',') FROM audit_events WHERE event_id = @e", ("e", eventId)));

        // The real holder's next registration, another selfie: compared with the enrolled face, it matches.
        var again = await Subscriber(GrainRequests.NewPhoneNumber()).Register(GrainRequests.Personal(identity, live: Faces.CardHolder.OtherLive));
        Assert.Equal(SubscriberStatus.Active, again.Record!.Status);
        Assert.Equal("MATCH", Assert.Single(again.Record.Faces, f => f.Person == "enrolled-live").Decision);
    }

    [Fact]
    public async Task Confirming_an_expired_reservation_re_adds_the_number_when_the_limit_allows()
    {
        var identity = Identity(GrainRequests.NewIdentityKey());
        var late = GrainRequests.NewPhoneNumber();
        Assert.True((await identity.Reserve(late, "cmcc", 5)).Granted);
        GrainClusterFixture.Clock.Advance(TimeSpan.FromMinutes(6));
        Assert.True((await identity.Reserve(GrainRequests.NewPhoneNumber(), "cmcc", 5)).Granted);

        var confirmed = await identity.Confirm(Confirmation(late));

        Assert.True(confirmed.Held);
        Assert.Contains(late, (await identity.GetNumbers()).Select(n => n.PhoneNumber));
    }

    [Fact]
    public async Task Confirming_an_expired_reservation_whose_place_was_taken_is_refused_never_skipped()
    {
        var identity = Identity(GrainRequests.NewIdentityKey());
        var late = GrainRequests.NewPhoneNumber();
        Assert.True((await identity.Reserve(late, "cmcc", 5)).Granted);
        GrainClusterFixture.Clock.Advance(TimeSpan.FromMinutes(6));
        for (var i = 0; i < 5; i++)
        {
            var other = GrainRequests.NewPhoneNumber();
            Assert.True((await identity.Reserve(other, "cmcc", 5)).Granted);
            Assert.True((await identity.Confirm(Confirmation(other))).Held);
        }

        var confirmed = await identity.Confirm(Confirmation(late));

        Assert.False(confirmed.Held);
        Assert.Equal(5, confirmed.HeldAtCarrier);
        Assert.DoesNotContain(late, (await identity.GetNumbers()).Select(n => n.PhoneNumber));
    }

    [Fact]
    public async Task A_registration_whose_place_is_gone_when_it_is_confirmed_goes_back_to_review_instead_of_living_outside_the_count()
    {
        var key = GrainRequests.NewIdentityKey();
        await Subscriber(GrainRequests.NewPhoneNumber()).Register(GrainRequests.Personal(key));
        var phone = GrainRequests.NewPhoneNumber();
        var pending = await Subscriber(phone).Register(GrainRequests.Personal(key, face: Faces.Obama));
        Assert.Equal(SubscriberStatus.PendingReview, pending.Record!.Status);

        // Its place is gone (as when an expired reservation was dropped) and the holder fills the carrier meanwhile.
        await Identity(key).Release(phone);
        for (var i = 0; i < 4; i++)
        {
            Assert.Null((await Subscriber(GrainRequests.NewPhoneNumber()).Register(GrainRequests.Personal(key, live: Faces.CardHolder.OtherLive))).Refusal);
        }

        var approved = await Subscriber(phone).ApplyReviewDecision(new ReviewDecision(pending.Record.ReviewCaseId!, "reviewer-1", true, "DOCUMENT_CHECKED"));

        var record = (await Subscriber(phone).GetRecord())!;
        Assert.Null(approved.Refusal);
        Assert.Equal(SubscriberStatus.PendingReview, record.Status);
        Assert.Equal("QUOTA_RESERVATION_EXPIRED", record.History[^1].Event);
        Assert.Equal([RefusalCodes.IdentityLimitExceeded], record.History[^1].Reasons);
        Assert.NotEqual(pending.Record.ReviewCaseId, record.ReviewCaseId);
        Assert.DoesNotContain(phone, (await Identity(key).GetNumbers()).Select(n => n.PhoneNumber));
        Assert.Equal(1L, await fixture.Database.ScalarAsync<long>(
            "SELECT count(*) FROM audit_events WHERE phone_number = @p AND event_type = 'ROUTED_TO_REVIEW' AND 'IDENTITY_LIMIT_EXCEEDED' = ANY(reasons)", ("p", phone)));
    }

    [Fact]
    public async Task Numbers_held_under_a_former_identity_key_count_toward_the_limit()
    {
        var former = Identity(GrainRequests.NewIdentityKey());
        for (var i = 0; i < 3; i++)
        {
            var phone = GrainRequests.NewPhoneNumber();
            Assert.True((await former.Reserve(phone, "cmcc", 5)).Granted);
            Assert.True((await former.Confirm(Confirmation(phone))).Held);
        }

        var current = Identity(GrainRequests.NewIdentityKey());
        var formerKeys = new[] { former.GetPrimaryKeyString() }.ToImmutableList();

        Assert.True((await current.Reserve(GrainRequests.NewPhoneNumber(), "cmcc", 5, formerKeys)).Granted);
        Assert.True((await current.Reserve(GrainRequests.NewPhoneNumber(), "cmcc", 5, formerKeys)).Granted);
        var sixth = await current.Reserve(GrainRequests.NewPhoneNumber(), "cmcc", 5, formerKeys);
        Assert.False(sixth.Granted);
        Assert.Equal(5, sixth.HeldAtCarrier);
    }

    [Fact]
    public async Task Self_service_locks_after_five_failed_proofs_within_the_window_and_unlocks_after_the_lock_duration()
    {
        var key = GrainRequests.NewIdentityKey();
        await Subscriber(GrainRequests.NewPhoneNumber()).Register(GrainRequests.Personal(key));
        var identity = Identity(key);

        // Four failures, then the window passes: they no longer count.
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(RefusalCodes.FaceMismatch, (await identity.VerifyHolder(Proof(Faces.Stranger))).Refusal?.Code);
        }

        GrainClusterFixture.Clock.Advance(TimeSpan.FromMinutes(16));
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(RefusalCodes.FaceMismatch, (await identity.VerifyHolder(Proof(Faces.Stranger))).Refusal?.Code);
        }

        Assert.Null((await identity.VerifyHolder(Proof(Faces.CardHolder.OtherLive))).Refusal);

        // A success clears the failures; five in a row lock it.
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(RefusalCodes.FaceMismatch, (await identity.VerifyHolder(Proof(Faces.Stranger))).Refusal?.Code);
        }

        var locked = await identity.VerifyHolder(Proof(Faces.CardHolder.OtherLive));
        Assert.Equal(RefusalCodes.TooManyFailedProofs, locked.Refusal?.Code);
        Assert.Null(locked.Face);

        GrainClusterFixture.Clock.Advance(TimeSpan.FromMinutes(29));
        Assert.Equal(RefusalCodes.TooManyFailedProofs, (await identity.VerifyHolder(Proof(Faces.CardHolder.OtherLive))).Refusal?.Code);
        GrainClusterFixture.Clock.Advance(TimeSpan.FromMinutes(2));
        var unlocked = await identity.VerifyHolder(Proof(Faces.CardHolder.OtherLive));
        Assert.Null(unlocked.Refusal);
        Assert.Single(unlocked.Numbers);
    }

    [Fact]
    public async Task Self_service_needs_a_liveness_attestation_signed_recently()
    {
        var key = GrainRequests.NewIdentityKey();
        await Subscriber(GrainRequests.NewPhoneNumber()).Register(GrainRequests.Personal(key));
        var identity = Identity(key);

        var none = await identity.VerifyHolder(Proof(Faces.CardHolder.OtherLive) with { Liveness = null });
        var stale = await identity.VerifyHolder(Proof(Faces.CardHolder.OtherLive) with { Liveness = GrainRequests.SignedLiveness("", TimeSpan.FromMinutes(6)) });

        Assert.Equal(RefusalCodes.LivenessRequired, none.Refusal?.Code);
        Assert.Equal(RefusalCodes.LivenessUnverified, stale.Refusal?.Code);
        Assert.Equal("STALE", stale.Refusal!.Details["problem"]);
    }

    private static HolderCheck Proof(string live) =>
        new(Faces.Image(live).ToByteArray(), GrainRequests.Online(), GrainRequests.SignedLiveness(""), "", Guid.NewGuid().ToString("N"));

    private static IdentityConfirmation Confirmation(string phone) =>
        new(phone, "cmcc", new SubscriberOwner("k", DocumentKind.ResidentId, "310*************12", "王*"), null, 5, 8);
}
