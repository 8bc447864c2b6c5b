using Npgsql;
using RealName.Grains.Identities;
using RealName.Grains.Subscribers;
using RealName.IntegrationTests.Infrastructure;
using RealName.Rules;
using RealName.Storage;
using RealName.Storage.Reads;

namespace RealName.IntegrationTests.Grains;

/// <summary>
/// Retention (domain rule 9) on the fake clock: a closed registration's personal data is purged by its durable
/// reminder once Retention:AfterServiceEnd (an hour in this cluster; 2 years by default) has passed, and the audit chain
/// still verifies.
/// </summary>
[Collection(GrainClusterCollection.Name)]
public sealed class RetentionTests(GrainClusterFixture fixture)
{
    /// <summary>Retention:AfterServiceEnd of <see cref="GrainClusterFixture"/>.</summary>
    private static readonly TimeSpan Retention = TimeSpan.FromHours(1);

    private ISubscriberGrain Subscriber(string phone) => fixture.Grains.GetGrain<ISubscriberGrain>(phone);

    private IIdentityGrain Identity(string key) => fixture.Grains.GetGrain<IIdentityGrain>(key);

    [Fact]
    public async Task A_cancelled_number_is_purged_at_the_end_of_retention_and_the_chain_still_verifies()
    {
        var phone = GrainRequests.NewPhoneNumber();
        var identity = GrainRequests.NewIdentityKey();
        var registered = await Subscriber(phone).Register(GrainRequests.Personal(identity));
        var evidenceId = registered.Record!.RegistrationEventId!.Value;
        Assert.Equal(SubscriberStatus.Active, registered.Record.Status);
        await Subscriber(phone).Cancel("clerk-1", "CANCELLED_BY_HOLDER");

        // Before the end of retention everything is still there.
        Assert.NotNull(await Identity(identity).GetEnrollment());
        Assert.Equal(2L, await Count("SELECT count(*) FROM registration_evidence WHERE event_id = @e", ("e", evidenceId)));
        Assert.Equal(2L, await Count("SELECT count(*) FROM audit_events WHERE phone_number = @p AND identity_key = @k", ("p", phone), ("k", identity)));
        await AssertChainIntact();

        GrainClusterFixture.Clock.Advance(Retention - TimeSpan.FromMinutes(1));
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.NotNull(await Subscriber(phone).GetRecord());

        GrainClusterFixture.Clock.Advance(TimeSpan.FromMinutes(2));
        await Eventually.Get(() => Subscriber(phone).GetRecord(), r => r is null, TimeSpan.FromSeconds(30), "the retention reminder to purge the record");

        // Grain state: no record, and the identity (no number left) lost its enrolled faces and masked document.
        Assert.Null(await Identity(identity).GetEnrollment());
        Assert.Null(await Identity(identity).GetDocument());
        // Evidence images and the audit rows' personal fields are gone; the rows and their digests stay.
        Assert.Equal(0L, await Count("SELECT count(*) FROM registration_evidence WHERE event_id = @e", ("e", evidenceId)));
        Assert.Equal(0L, await Count("SELECT count(*) FROM audit_events WHERE phone_number = @p OR identity_key = @k", ("p", phone), ("k", identity)));
        Assert.Equal(2L, await Count(
            "SELECT count(*) FROM audit_events WHERE event_id = ANY(@ids) AND personal_digest IS NOT NULL AND personal_salt IS NULL",
            ("ids", new[] { evidenceId, CancelEventId(phone, registered.Record) })));
        await AssertPurgedEvent(phone, registered.Record);
        await AssertChainIntact();
    }

    [Fact]
    public async Task A_rejected_registration_is_purged_and_the_identity_keeps_the_face_of_its_remaining_number()
    {
        var identity = GrainRequests.NewIdentityKey();
        var holderPhone = GrainRequests.NewPhoneNumber();
        Assert.Equal(SubscriberStatus.Active, (await Subscriber(holderPhone).Register(GrainRequests.Personal(identity))).Record!.Status);
        // Someone else's face under the same document: parked for review, then rejected.
        var phone = GrainRequests.NewPhoneNumber();
        var pending = (await Subscriber(phone).Register(GrainRequests.Personal(identity, face: Faces.Obama))).Record!;
        Assert.Equal(SubscriberStatus.PendingReview, pending.Status);
        var rejected = await Subscriber(phone).ApplyReviewDecision(new ReviewDecision(pending.ReviewCaseId!, "reviewer-1", Approve: false, "DIFFERENT_PERSON"));
        Assert.Equal(SubscriberStatus.Rejected, rejected.Record!.Status);
        await AssertChainIntact();

        GrainClusterFixture.Clock.Advance(Retention + TimeSpan.FromMinutes(1));
        await Eventually.Get(() => Subscriber(phone).GetRecord(), r => r is null, TimeSpan.FromSeconds(30), "the retention reminder to purge the rejected record");

        Assert.Equal(0L, await Count("SELECT count(*) FROM registration_evidence WHERE event_id = @e", ("e", pending.RegistrationEventId!.Value)));
        Assert.Equal(0L, await Count("SELECT count(*) FROM audit_events WHERE phone_number = @p", ("p", phone)));
        await AssertPurgedEvent(phone, pending);
        // The identity still holds its first number: its enrolled face and that number's rows stay.
        Assert.NotNull(await Identity(identity).GetEnrollment());
        Assert.NotNull(await Subscriber(holderPhone).GetRecord());
        Assert.Equal(1L, await Count("SELECT count(*) FROM audit_events WHERE phone_number = @p AND identity_key = @k", ("p", holderPhone), ("k", identity)));
        await AssertChainIntact();
    }

    [Fact]
    public async Task A_refused_attempt_keeps_its_personal_fields_until_the_end_of_its_retention_then_loses_them()
    {
        var phone = GrainRequests.NewPhoneNumber();
        var identity = GrainRequests.NewIdentityKey();
        var request = GrainRequests.Personal(identity, live: Faces.Stranger);
        var refused = await Subscriber(phone).Register(request);
        Assert.Equal("FACE_MISMATCH", refused.Refusal!.Code);
        await Subscriber(phone).RecordDocumentRefusal(new DocumentRefusal("key-doc-1", GrainRequests.Retail(), CardType.Personal, ["DOCUMENT_EXPIRED"]));
        var refusalId = DeterministicIds.From(DeterministicIds.Registration, phone, request.IdempotencyKey);
        Assert.Equal(2L, await Count("SELECT count(*) FROM audit_events WHERE phone_number = @p AND decision = 'REFUSED'", ("p", phone)));
        Assert.Equal(1L, await Count("SELECT count(*) FROM audit_events WHERE event_id = @e AND identity_key = @k", ("e", refusalId), ("k", identity)));

        // Retention:AfterRefusal is 90 minutes here: a closed registration's hour is not enough.
        GrainClusterFixture.Clock.Advance(Retention + TimeSpan.FromMinutes(5));
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(2L, await Count("SELECT count(*) FROM audit_events WHERE phone_number = @p AND decision = 'REFUSED'", ("p", phone)));

        GrainClusterFixture.Clock.Advance(TimeSpan.FromMinutes(30));
        await Eventually.Get(
            () => Count("SELECT count(*) FROM audit_events WHERE phone_number = @p OR identity_key = @k", ("p", phone), ("k", identity)),
            n => n == 0, TimeSpan.FromSeconds(30), "the retention reminder to purge the refused attempts");

        // Both refusal rows stay (their decision, outlet and reasons count in reports), with only their digests.
        var documentRefusalId = DeterministicIds.From(DeterministicIds.DocumentRefusal, phone, "key-doc-1", "DOCUMENT_EXPIRED");
        Assert.Equal(2L, await Count(
            "SELECT count(*) FROM audit_events WHERE event_id = ANY(@ids) AND decision = 'REFUSED' AND personal_digest IS NOT NULL AND personal_salt IS NULL",
            ("ids", new[] { refusalId, documentRefusalId })));
        Assert.Equal("PURGED|RETENTION_ENDED|system", await fixture.Database.ScalarAsync<string>(
            "SELECT event_type || '|' || array_to_string(reasons, ',') || '|' || caller FROM audit_events WHERE event_id = @e AND phone_number IS NULL",
            ("e", DeterministicIds.From(DeterministicIds.Purge, phone, refusalId.ToString("N")))));
        await AssertChainIntact();
    }

    private static Guid CancelEventId(string phone, SubscriberRecord record) =>
        DeterministicIds.From(DeterministicIds.Cancel, phone, record.RegisteredAt.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private async Task AssertPurgedEvent(string phone, SubscriberRecord record)
    {
        var purgeId = DeterministicIds.From(DeterministicIds.Purge, phone, record.RegisteredAt.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("PURGED|RETENTION_ENDED|system", await fixture.Database.ScalarAsync<string>(
            "SELECT event_type || '|' || array_to_string(reasons, ',') || '|' || caller FROM audit_events WHERE event_id = @e AND phone_number IS NULL AND identity_key IS NULL",
            ("e", purgeId)));
    }

    private async Task<long> Count(string sql, params (string Name, object Value)[] parameters) =>
        await fixture.Database.ScalarAsync<long>(sql, parameters);

    private async Task AssertChainIntact()
    {
        await using var dataSource = NpgsqlDataSource.Create(fixture.Database.GridConnectionString);
        using var verifier = new AuditCheckpointVerifier(TestEnvironment.CheckpointKeys.PublicKey);
        var verified = await new AuditReports(dataSource, CivilCalendar.Default, verifier).VerifyChainAsync();
        Assert.True(verified.Intact, verified.FirstBreak?.Detail);
        Assert.True(verified.RowsChecked > 0);
    }
}
