using Grpc.Core;
using RealName.Grains;
using RealName.Grains.Identities;
using RealName.Grains.Subscribers;
using RealName.Rules;

namespace RealName.IntegrationTests.Grains;

[Collection(GrainClusterCollection.Name)]
public sealed class SubscriberGrainTests(GrainClusterFixture fixture)
{
    [Fact]
    public async Task A_matching_face_registers_an_active_number_with_its_channel_faces_and_history()
    {
        var phone = GrainRequests.NewPhoneNumber();
        var identity = GrainRequests.NewIdentityKey();

        var request = GrainRequests.Personal(identity, GrainRequests.Retail("BJ-7"));
        var outcome = await fixture.Grains.GetGrain<ISubscriberGrain>(phone).Register(request);

        Assert.Null(outcome.Refusal);
        var record = await fixture.Grains.GetGrain<ISubscriberGrain>(phone).GetRecord();
        Assert.NotNull(record);
        Assert.Equal(SubscriberStatus.Active, record.Status);
        Assert.Equal("BJ-7", record.RegisteredBy.OutletId);
        Assert.Equal(GrainClusterFixture.Clock.GetUtcNow(), record.RegisteredAt);
        var face = Assert.Single(record.Faces);
        Assert.Equal("MATCH", face.Decision);
        Assert.InRange(face.Score!.Value, 0.4, 1.0);
        Assert.Equal("REGISTERED", Assert.Single(record.History).Event);
        var held = await fixture.Grains.GetGrain<IIdentityGrain>(identity).GetNumbers();
        Assert.Equal(phone, Assert.Single(held).PhoneNumber);
        Assert.NotNull(await fixture.Grains.GetGrain<IIdentityGrain>(identity).GetEnrollment());
        Assert.Equal(request.Customer!.Identity, await fixture.Grains.GetGrain<IIdentityGrain>(identity).GetDocument());
        // Evidence:KeepImages is on in this cluster: both images are kept under the registration's audit event.
        var eventId = RealName.Storage.DeterministicIds.From(RealName.Storage.DeterministicIds.Registration, phone, request.IdempotencyKey);
        Assert.Equal(2L, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM registration_evidence WHERE event_id = @e", ("e", eventId)));
        // They are sealed at rest: the stored bytes are not the image, and the data key opens them to it.
        var stored = await fixture.Database.ScalarAsync<byte[]>(
            "SELECT image FROM registration_evidence WHERE event_id = @e AND person = 'customer' AND image_kind = 'live'", ("e", eventId));
        Assert.NotNull(stored);
        Assert.True(RealName.Storage.Sealing.Sealer.IsSealed(stored));
        await using var dataSource = Npgsql.NpgsqlDataSource.Create(fixture.Database.ConnectionString);
        var keys = new RealName.Storage.Sealing.DataKeyRing(dataSource,
            Microsoft.Extensions.Options.Options.Create(new RealName.Storage.Sealing.SealingOptions { MasterKey = fixture.Database.SealingKey }), TimeProvider.System);
        Assert.Equal(request.Customer!.Live, new RealName.Storage.Sealing.Sealer(keys).Open(stored));
    }

    [Fact]
    public async Task Retry_with_the_same_idempotency_key_replays_the_first_outcome()
    {
        var grain = fixture.Grains.GetGrain<ISubscriberGrain>(GrainRequests.NewPhoneNumber());
        var request = GrainRequests.Personal(GrainRequests.NewIdentityKey());

        var first = await grain.Register(request);
        var retry = await grain.Register(request);

        Assert.True(retry.Replayed);
        Assert.Equivalent(first.Record, retry.Record, strict: true);
        Assert.Single((await grain.GetRecord())!.History);
    }

    [Fact]
    public async Task A_stranger_in_the_live_photo_is_refused_as_FACE_MISMATCH_and_nothing_is_registered()
    {
        var identity = GrainRequests.NewIdentityKey();
        var grain = fixture.Grains.GetGrain<ISubscriberGrain>(GrainRequests.NewPhoneNumber());

        var outcome = await grain.Register(GrainRequests.Personal(identity, live: Infrastructure.Faces.Stranger));

        Assert.Equal(RefusalCodes.FaceMismatch, outcome.Refusal?.Code);
        Assert.Equal("customer", outcome.Refusal!.Details["person"]);
        Assert.Null(await grain.GetRecord());
        Assert.Empty(await fixture.Grains.GetGrain<IIdentityGrain>(identity).GetNumbers());
    }

    [Fact]
    public async Task Concurrent_registrations_of_one_identity_never_exceed_the_limit()
    {
        var identity = GrainRequests.NewIdentityKey();
        var phones = Enumerable.Range(0, 9).Select(_ => GrainRequests.NewPhoneNumber()).ToList();

        var outcomes = await Task.WhenAll(phones.Select(p => fixture.Grains.GetGrain<ISubscriberGrain>(p).Register(GrainRequests.Personal(identity))));

        Assert.Equal(5, outcomes.Count(o => o.Refusal is null));
        Assert.Equal(4, outcomes.Count(o => o.Refusal?.Code == RefusalCodes.IdentityLimitExceeded));
        Assert.Equal(5, (await fixture.Grains.GetGrain<IIdentityGrain>(identity).GetNumbers()).Count);
    }

    [Fact]
    public async Task The_limit_counts_per_carrier()
    {
        var identity = GrainRequests.NewIdentityKey();
        foreach (var carrier in new[] { "cmcc", "cmcc", "cmcc", "cmcc", "cmcc", "mvno-a" })
        {
            var outcome = await fixture.Grains.GetGrain<ISubscriberGrain>(GrainRequests.NewPhoneNumber()).Register(GrainRequests.Personal(identity, GrainRequests.Retail(carrier: carrier)));
            Assert.Null(outcome.Refusal);
        }

        var sixth = await fixture.Grains.GetGrain<ISubscriberGrain>(GrainRequests.NewPhoneNumber()).Register(GrainRequests.Personal(identity));
        Assert.Equal(RefusalCodes.IdentityLimitExceeded, sixth.Refusal?.Code);
    }

    [Fact]
    public async Task An_unconfirmed_reservation_stops_counting_after_its_timeout()
    {
        var identity = fixture.Grains.GetGrain<IIdentityGrain>(GrainRequests.NewIdentityKey());
        for (var i = 0; i < 5; i++)
        {
            Assert.True((await identity.Reserve(GrainRequests.NewPhoneNumber(), "cmcc", 5)).Granted);
        }

        Assert.False((await identity.Reserve(GrainRequests.NewPhoneNumber(), "cmcc", 5)).Granted);
        GrainClusterFixture.Clock.Advance(TimeSpan.FromMinutes(6));

        Assert.True((await identity.Reserve(GrainRequests.NewPhoneNumber(), "cmcc", 5)).Granted);
    }

    [Fact]
    public async Task A_minor_needs_an_adult_guardian()
    {
        var today = DateOnly.FromDateTime(GrainClusterFixture.Clock.GetUtcNow().UtcDateTime);
        var minor = GrainRequests.Person(GrainRequests.NewIdentityKey(), today.AddYears(-12));
        var request = GrainRequests.Personal("unused") with { Customer = minor };
        var withChildGuardian = request with { IdempotencyKey = Guid.NewGuid().ToString("N"), Guardian = GrainRequests.Person(GrainRequests.NewIdentityKey(), today.AddYears(-17), Infrastructure.Faces.Obama) };
        var withAdultGuardian = request with { IdempotencyKey = Guid.NewGuid().ToString("N"), Guardian = GrainRequests.Person(GrainRequests.NewIdentityKey(), today.AddYears(-40), Infrastructure.Faces.Obama) };
        var grain = fixture.Grains.GetGrain<ISubscriberGrain>(GrainRequests.NewPhoneNumber());

        Assert.Equal(RefusalCodes.MinorRequiresGuardian, (await grain.Register(request)).Refusal?.Code);
        Assert.Equal(RefusalCodes.GuardianNotAdult, (await grain.Register(withChildGuardian)).Refusal?.Code);
        var accepted = await grain.Register(withAdultGuardian);
        Assert.Null(accepted.Refusal);
        Assert.Equal(["customer", "guardian"], accepted.Record!.Faces.Select(f => f.Person));
    }

    [Fact]
    public async Task An_expired_document_is_refused_by_the_grain_with_the_gateway_status_and_reason()
    {
        var phone = GrainRequests.NewPhoneNumber();
        var yesterday = DateOnly.FromDateTime(GrainClusterFixture.Clock.GetUtcNow().ToOffset(TimeSpan.FromHours(8)).DateTime).AddDays(-1);
        var customer = GrainRequests.Person(GrainRequests.NewIdentityKey()) with { ValidUntil = yesterday };
        var lastDay = GrainRequests.Person(GrainRequests.NewIdentityKey()) with { ValidUntil = yesterday.AddDays(1) };

        var refused = await fixture.Grains.GetGrain<ISubscriberGrain>(phone).Register(GrainRequests.Personal("unused") with { Customer = customer });
        var error = RealName.Gateway.Errors.GrpcErrors.Refused(refused.Refusal!);
        var accepted = await fixture.Grains.GetGrain<ISubscriberGrain>(GrainRequests.NewPhoneNumber()).Register(GrainRequests.Personal("unused") with { Customer = lastDay });

        Assert.Equal("DOCUMENT_EXPIRED", refused.Refusal?.Code);
        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Equal("DOCUMENT_EXPIRED", error.GetRpcStatus()!.GetDetail<Google.Rpc.ErrorInfo>().Reason);
        Assert.Null(await fixture.Grains.GetGrain<ISubscriberGrain>(phone).GetRecord());
        Assert.Null(accepted.Refusal);
    }

    [Fact]
    public async Task Online_registrations_need_a_passed_liveness_attestation()
    {
        var grain = fixture.Grains.GetGrain<ISubscriberGrain>(GrainRequests.NewPhoneNumber());
        var request = GrainRequests.Personal(GrainRequests.NewIdentityKey(), GrainRequests.Online());

        var missing = await grain.Register(request);
        var weak = await grain.Register(request with { IdempotencyKey = "weak-liveness-1", Liveness = new LivenessAttestation("sdk", "s-1", true, 0.5) });
        var unsigned = await grain.Register(request with { IdempotencyKey = "unsigned-liveness-1", Liveness = new LivenessAttestation("sdk", "s-2", true, 0.97) });
        var signed = GrainRequests.SignedLiveness(grain.GetPrimaryKeyString());
        var good = await grain.Register(request with { IdempotencyKey = "good-liveness-1", Liveness = signed });

        Assert.Equal(RefusalCodes.LivenessRequired, missing.Refusal?.Code);
        Assert.Equal(RefusalCodes.LivenessFailed, weak.Refusal?.Code);
        Assert.Equal(RefusalCodes.LivenessUnverified, unsigned.Refusal?.Code);
        Assert.Null(good.Refusal);
        Assert.Equal(signed.SessionId, good.Record!.Liveness!.SessionId);
    }
}
