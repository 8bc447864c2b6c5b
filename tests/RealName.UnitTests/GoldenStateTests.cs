using RealName.Rules;
using RealName.Grains;
using RealName.Grains.Campaigns;
using RealName.Grains.Enterprises;
using RealName.Grains.Identities;
using RealName.Grains.Reviews;
using RealName.Grains.Subscribers;
using RealName.Silo;

namespace RealName.UnitTests;

/// <summary>
/// The state JSON written by the code at b718940 (GoldenStates/*.json, made by its JsonGrainStorageSerializer)
/// (the clear JSON that is sealed since) must still read into today's state types with every value in place: a renamed property or a changed enum
/// name would silently drop stored data, and fails here instead.
/// </summary>
public sealed class GoldenStateTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 9, 15, 30, 125, TimeSpan.Zero);

    private static T Read<T>(string name) =>
        JsonGrainStorageSerializer.FromJson<T>(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "GoldenStates", name + ".json")));

    [Fact]
    public void A_stored_subscriber_reads_back_with_record_requests_enrolment_and_open_case()
    {
        var state = Read<SubscriberState>("subscriber");

        var record = state.Record!;
        Assert.Equal(("13800138000", SubscriberStatus.ReReviewRequired, CardType.Corporate, T0), (record.PhoneNumber, record.Status, record.CardType, record.RegisteredAt));
        Assert.Equal(new ChannelFacts(ChannelKind.Retail, "cmcc", "310000", "SH-001", "clerk-7", "reader-3"), record.RegisteredBy);
        Assert.Equal(("310***********1234", "王*明", DocumentKind.ResidentId), (record.Owner!.MaskedDocumentNumber, record.Owner.MaskedName, record.Owner.DocumentKind));
        Assert.Equal(DocumentKind.HongKongMacauPermit, record.Agent!.DocumentKind);
        Assert.Equal(["REGISTRATION_PENDING_REVIEW", "REVIEW_APPROVED", "RE_REVIEW_REQUIRED"], record.History.Select(h => h.Event));
        Assert.Equal(("reviewer-zhang", SubscriberStatus.Active), (record.History[1].Actor, record.History[1].Status));
        Assert.Equal(("91310115MA1K4ABC2X", "上海某某科技有限公司"), (record.Enterprise!.CreditCode, record.Enterprise.Name));
        Assert.Equal(new IotProfile(false, true, true, 30), record.Iot);
        Assert.Equal([("customer", "REVIEW", 0.4412), ("agent", "MATCH", 0.7731)], record.Faces.Select(f => (f.Person, f.Decision, f.Score ?? 0)));
        Assert.Equal(["SCORE_IN_REVIEW_BAND"], record.Faces[0].Reasons);
        Assert.Equal((ReReviewTrigger.FraudReport, T0.AddDays(4), "c0ffee00c0ffee00c0ffee00c0ffee00"), (record.ReReview!.Trigger, record.ReReview.Deadline, record.ReReview.ReviewCaseId));
        Assert.Equal("5d41402abc4b2a76b9719d911017c592", record.ReviewCaseId);
        Assert.Equal(("aliyun-liveness", true, 0.97), (record.Liveness!.Provider, record.Liveness.Passed, record.Liveness.Score));

        Assert.Equal(["idem-0001", "idem-0002"], state.Requests.Select(r => r.Key));
        Assert.Equal(SubscriberStatus.ReReviewRequired, state.Requests[0].Outcome.Record!.Status);
        var refusal = state.Requests[1].Outcome.Refusal!;
        Assert.Equal(("IDENTITY_LIMIT_EXCEEDED", "5", "5"), (refusal.Code, refusal.Details["held"], refusal.Details["limit"]));
        Assert.Equal([0.125f, -0.0625f, 0.25f, 0.5f, -0.375f, 0.0078125f, 0.1875f, -0.4375f], state.PendingEnrollment!.Portrait.Embedding);
        Assert.Equal("mobilefacenet-paddlex-v1", state.PendingEnrollment.Live.ModelVersion);
        Assert.False(state.FollowUpsDone);
        Assert.Equal("5d41402abc4b2a76b9719d911017c592", state.OpenCaseOnClose);
    }

    [Fact]
    public void A_stored_identity_reads_back_with_numbers_enrolment_and_document()
    {
        var state = Read<IdentityState>("identity");

        Assert.Equal([("13800138000", "cmcc", true, T0), ("13900139000", "cucc", false, T0.AddDays(1))], state.Numbers.Select(n => (n.PhoneNumber, n.CarrierId, n.Confirmed, n.Since)));
        Assert.Equal(T0.AddMinutes(1), state.Enrollment!.EnrolledAt);
        Assert.Equal(8, state.Enrollment.Live.Embedding.Length);
        Assert.Equal("9f2c4e0b7a1d4c3e8b6a5f4e3d2c1b0a9f8e7d6c5b4a39281706f5e4d3c2b1a0", state.Document!.IdentityKey);
    }

    [Fact]
    public void A_stored_review_queue_reads_back_with_its_pending_cases()
    {
        var state = Read<ReviewQueueState>("review-queue");

        Assert.Equal(
            [("5d41402abc4b2a76b9719d911017c592", ReviewCaseKind.Registration, CardType.Personal, "cmcc", T0), ("c0ffee00c0ffee00c0ffee00c0ffee00", ReviewCaseKind.ReReview, CardType.Iot, "cucc", T0.AddMinutes(5))],
            state.Pending.Select(c => (c.CaseId, c.Kind, c.CardType, c.Channel.CarrierId, c.CreatedAt)));
        Assert.Equal(ChannelKind.Online, state.Pending[1].Channel.Kind);
        Assert.Equal(2, state.Pending[0].Faces.Count);
        Assert.Empty(state.HandedOver);
    }

    [Fact]
    public void A_stored_enterprise_reads_back_with_its_approval_and_cards()
    {
        var state = Read<EnterpriseState>("enterprise");

        Assert.Equal(new IotApproval(200, "risk-wang", "RA-2026-001", T0), state.IotApproval);
        Assert.Equal(["14400000001", "14400000002"], state.IotCards.Order());
    }

    [Fact]
    public void A_stored_campaign_reads_back_with_its_definition_and_progress()
    {
        var state = Read<CampaignState>("campaign");

        Assert.Equal(new CampaignDefinition("SH-001", "clerk-7", T0.AddDays(-30), T0, "auditor-li"), state.Definition);
        Assert.Equal(["13800138000", "13900139000", "13700137000"], state.Targets.ToArray());
        Assert.Equal((2, 1, 0, 0, 1), (state.Cursor, state.Started, state.AlreadyRunning, state.NotActive, state.Failed));
        Assert.Equal((T0.AddHours(1), T0.AddHours(2)), (state.CreatedAt, state.CompletedAt!.Value));
        Assert.Equal(["13900139000"], state.FailedNumbers);
    }
}
