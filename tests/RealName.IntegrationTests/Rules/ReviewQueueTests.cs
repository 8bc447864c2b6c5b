using Microsoft.Extensions.DependencyInjection;
using RealName.Contracts.V1;
using IReviewShardDirectoryGrain = RealName.Grains.Reviews.IReviewShardDirectoryGrain;
using IReviewShardGrain = RealName.Grains.Reviews.IReviewShardGrain;
using ReviewShards = RealName.Grains.Reviews.ReviewShards;
using RealName.IntegrationTests.Infrastructure;

namespace RealName.IntegrationTests.Rules;

/// <summary>
/// A grid whose MATCH threshold is set above any real score, so genuine faces land in the REVIEW band and
/// go to the manual-review queue; strangers still score below the REVIEW threshold.
/// </summary>
public sealed class ReviewGridFixture : GridFixture
{
    protected override IReadOnlyDictionary<string, string> SiloSettings => new Dictionary<string, string>(LivenessSdk.SiloSettings)
    {
        ["Face:Decision:MatchThreshold"] = "0.99",
        ["Face:Decision:ReviewThreshold"] = "0.3252",
        ["ReReview:Deadline"] = "00:00:03",
        ["Cluster:Reminders:MinimumReminderPeriod"] = "00:00:01",
    };
}

[CollectionDefinition(Name)]
public sealed class ReviewGridCollection : ICollectionFixture<ReviewGridFixture>
{
    public const string Name = "review-grid";
}

[Collection(ReviewGridCollection.Name)]
public sealed class ReviewQueueTests(ReviewGridFixture grid)
{
    private RegistrationService.RegistrationServiceClient Channel => new(grid.Gateway.As(Roles.RetailTerminal));

    private ReviewService.ReviewServiceClient Reviewer => new(grid.Gateway.As(Roles.Reviewer));

    private async Task<Contracts.V1.ReviewCase> PendingCase(string phone)
    {
        var cases = new List<Contracts.V1.ReviewCase>();
        var token = "";
        do
        {
            var page = await Reviewer.ListPendingReviewsAsync(new ListPendingReviewsRequest { PageSize = 2, PageToken = token });
            cases.AddRange(page.Cases);
            token = page.NextPageToken;
        }
        while (token.Length > 0);

        if (!cases.Any(c => c.PhoneNumber == phone))
        {
            Assert.Fail($"{phone} not listed; {await Diagnose()}");
        }

        return Assert.Single(cases, c => c.PhoneNumber == phone);
    }

    private async Task<string> Diagnose()
    {
        var grains = grid.Gateway.Services.GetRequiredService<IClusterClient>();
        var shards = await grains.GetGrain<IReviewShardDirectoryGrain>(0).ListShards(null);
        var text = "directory: [" + string.Join(", ", shards) + "]";
        foreach (var key in new[] { "cmcc/310000", "mvno-x/310000", "mvno-y/310000" })
        {
            var held = await grains.GetGrain<IReviewShardGrain>(key).ListPending(1000, null);
            text += $"; {key}: {held.Count} [{string.Join(",", held.Select(c => c.PhoneNumber))}]";
        }

        var me = await new AdminService.AdminServiceClient(grid.Gateway.As(Roles.Admin)).ListCallersAsync(new ListCallersRequest());
        return text + "; callers: " + me;
    }

    [Fact]
    public async Task A_borderline_face_parks_the_registration_and_an_approval_activates_it()
    {
        var phone = Requests.NewPhoneNumber();

        var registered = await Channel.RegisterSubscriberAsync(Requests.Register(phone, outlet: "GZ-003"));
        var pending = await PendingCase(phone);
        var decided = await Reviewer.DecideReviewAsync(new DecideReviewRequest { CaseId = pending.CaseId, Approve = true, Reason = "SAME_PERSON_CONFIRMED" });

        Assert.Equal(SubscriberStatus.PendingReview, registered.Subscriber.Status);
        Assert.Equal(pending.CaseId, registered.Subscriber.ReviewCaseId);
        Assert.Equal(ReviewCaseKind.Registration, pending.Kind);
        Assert.Equal("GZ-003", pending.Channel.OutletId);
        Assert.Equal("REVIEW", Assert.Single(pending.Faces).Decision);
        Assert.Equal(SubscriberStatus.Active, decided.Status);
        var record = (await Channel.GetSubscriberAsync(new GetSubscriberRequest { PhoneNumber = phone })).Subscriber;
        Assert.Equal(GatewayServer.NameFor(Roles.Reviewer), record.History[^1].Actor);
        Assert.Equal("REVIEW_APPROVED", record.History[^1].Event);
        await RpcAssert.Refused("REVIEW_ALREADY_DECIDED", () => Reviewer.DecideReviewAsync(new DecideReviewRequest { CaseId = pending.CaseId, Approve = true, Reason = "AGAIN" }));
    }

    [Fact]
    public async Task A_decision_retried_after_its_answer_was_lost_gets_the_same_answer_and_any_other_decision_is_refused()
    {
        var phone = Requests.NewPhoneNumber();
        await Channel.RegisterSubscriberAsync(Requests.Register(phone));
        var pending = await PendingCase(phone);
        var decision = new DecideReviewRequest { CaseId = pending.CaseId, Approve = false, Reason = "DIFFERENT_PERSON" };
        var first = await Reviewer.DecideReviewAsync(decision);

        // The terminal never saw the answer and sends the same decision again: the same answer, nothing recorded twice.
        var retried = await Reviewer.DecideReviewAsync(decision);
        Assert.Equal((phone, SubscriberStatus.Rejected), (first.PhoneNumber, first.Status));
        Assert.Equal((phone, SubscriberStatus.Rejected), (retried.PhoneNumber, retried.Status));
        Assert.Equal(1L, await grid.Database.ScalarAsync<long>(
            "SELECT count(*) FROM audit_events WHERE phone_number = @p AND event_type = 'REVIEW_DECIDED'", ("p", phone)));

        // The other decision, or the same one from another reviewer, does not replace it, and says which one stands.
        var flipped = await RpcAssert.Refused("REVIEW_ALREADY_DECIDED", () => Reviewer.DecideReviewAsync(new DecideReviewRequest { CaseId = pending.CaseId, Approve = true, Reason = "DIFFERENT_PERSON" }));
        Assert.Equal("REJECTED", flipped.Metadata["decision"]);
        var other = await Callers.TestCallers.IssueAsync(grid.Gateway, "reviewer-two", CallerRole.Reviewer);
        await RpcAssert.Refused("REVIEW_ALREADY_DECIDED", () => new ReviewService.ReviewServiceClient(grid.Gateway.WithKey(other.ApiKey)).DecideReviewAsync(decision));
        // A reviewer of another carrier learns nothing about the case.
        var elsewhere = await Callers.TestCallers.IssueAsync(grid.Gateway, "reviewer-elsewhere", CallerRole.Reviewer, carriers: ["mvno-x"]);
        var denied = await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => new ReviewService.ReviewServiceClient(grid.Gateway.WithKey(elsewhere.ApiKey)).DecideReviewAsync(decision).ResponseAsync);
        Assert.Equal(Grpc.Core.StatusCode.PermissionDenied, denied.StatusCode);
        Assert.Equal(SubscriberStatus.Rejected, (await Channel.GetSubscriberAsync(new GetSubscriberRequest { PhoneNumber = phone })).Subscriber.Status);
        Assert.Equal(1L, await grid.Database.ScalarAsync<long>(
            "SELECT count(*) FROM audit_events WHERE phone_number = @p AND event_type = 'REVIEW_DECIDED'", ("p", phone)));
    }

    [Fact]
    public async Task A_case_left_listed_after_its_decision_was_recorded_is_answered_from_the_record_and_leaves_the_queue()
    {
        var phone = Requests.NewPhoneNumber();
        await Channel.RegisterSubscriberAsync(Requests.Register(phone));
        var pending = await PendingCase(phone);
        // The number's grain recorded the decision, then the gateway died before taking the case out of the queue.
        var grains = grid.Gateway.Services.GetRequiredService<IClusterClient>();
        var reviewer = GatewayServer.NameFor(Roles.Reviewer);
        await grains.GetGrain<RealName.Grains.Subscribers.ISubscriberGrain>(phone)
            .ApplyReviewDecision(new RealName.Grains.Subscribers.ReviewDecision(pending.CaseId, reviewer, true, "SAME_PERSON_CONFIRMED"));
        Assert.Equal(pending.CaseId, (await PendingCase(phone)).CaseId);

        var retried = await Reviewer.DecideReviewAsync(new DecideReviewRequest { CaseId = pending.CaseId, Approve = true, Reason = "SAME_PERSON_CONFIRMED" });

        Assert.Equal(SubscriberStatus.Active, retried.Status);
        Assert.Null(await (await ReviewShards.Find(grains, pending.CaseId))!.Get(pending.CaseId));
    }

    [Fact]
    public async Task A_rejection_closes_the_registration_and_releases_the_quota()
    {
        var identity = Requests.NewResidentId();
        var phones = Enumerable.Range(0, 5).Select(_ => Requests.NewPhoneNumber()).ToList();
        foreach (var phone in phones)
        {
            // Pending registrations hold their place in the quota.
            Assert.Equal(SubscriberStatus.PendingReview, (await Channel.RegisterSubscriberAsync(Requests.Register(phone, identity))).Subscriber.Status);
        }

        await RpcAssert.Refused("IDENTITY_LIMIT_EXCEEDED", () => Channel.RegisterSubscriberAsync(Requests.Register(Requests.NewPhoneNumber(), identity)));
        var rejected = await Reviewer.DecideReviewAsync(new DecideReviewRequest { CaseId = (await PendingCase(phones[0])).CaseId, Approve = false, Reason = "DIFFERENT_PERSON" });

        Assert.Equal(SubscriberStatus.Rejected, rejected.Status);
        Assert.Equal(SubscriberStatus.PendingReview, (await Channel.RegisterSubscriberAsync(Requests.Register(Requests.NewPhoneNumber(), identity))).Subscriber.Status);
        Assert.Equal(1L, await grid.Database.ScalarAsync<long>(
            "SELECT count(*) FROM audit_events WHERE phone_number = @p AND event_type = 'REVIEW_DECIDED' AND decision = 'REJECTED' AND actor = @reviewer", ("p", phones[0]), ("reviewer", GatewayServer.NameFor(Roles.Reviewer))));
    }

    [Fact]
    public async Task A_borderline_re_review_waits_for_the_reviewer_past_its_deadline_then_the_decision_applies()
    {
        var phone = Requests.NewPhoneNumber();
        var first = await PendingCaseAfterRegistering(phone);
        await Reviewer.DecideReviewAsync(new DecideReviewRequest { CaseId = first.CaseId, Approve = true, Reason = "OK" });
        await new RiskService.RiskServiceClient(grid.Gateway.As(Roles.RiskOperator)).TriggerReReviewAsync(new TriggerReReviewRequest { PhoneNumber = phone, Trigger = ReReviewTrigger.Manual });

        var answered = await Channel.ReVerifySubscriberAsync(new ReVerifySubscriberRequest
        {
            PhoneNumber = phone, LiveImage = Faces.Image(Faces.CardHolder.OtherLive), Channel = Requests.Retail(), RequestId = Guid.NewGuid().ToString("N"),
        });
        var reReviewCase = await PendingCase(phone);
        // The 3 s deadline passes while the reviewer holds the case: no suspension.
        await Task.Delay(TimeSpan.FromSeconds(5));
        var waiting = (await Channel.GetSubscriberAsync(new GetSubscriberRequest { PhoneNumber = phone })).Subscriber;
        var rejected = await Reviewer.DecideReviewAsync(new DecideReviewRequest { CaseId = reReviewCase.CaseId, Approve = false, Reason = "DIFFERENT_PERSON" });

        Assert.Equal(reReviewCase.CaseId, answered.Subscriber.ReReview.ReviewCaseId);
        Assert.Equal(ReviewCaseKind.ReReview, reReviewCase.Kind);
        Assert.Equal(SubscriberStatus.ReReviewRequired, waiting.Status);
        Assert.Equal(SubscriberStatus.Suspended, rejected.Status);
    }

    [Fact]
    public async Task Cases_of_two_carriers_land_in_their_own_shards()
    {
        var (mobile, unicom) = (Requests.NewPhoneNumber(), Requests.NewPhoneNumber());

        await ParkedForReview(Requests.Register(mobile, carrier: "cmcc"));
        await ParkedForReview(Requests.Register(unicom, carrier: "mvno-x"));
        var (mobileCase, unicomCase) = (await PendingCase(mobile), await PendingCase(unicom));

        Assert.StartsWith("cmcc/310000/", mobileCase.CaseId, StringComparison.Ordinal);
        Assert.StartsWith("mvno-x/310000/", unicomCase.CaseId, StringComparison.Ordinal);
        Assert.Equal((true, false), (await ShardHolds("cmcc/310000", mobile), await ShardHolds("cmcc/310000", unicom)));
        Assert.Equal((true, false), (await ShardHolds("mvno-x/310000", unicom), await ShardHolds("mvno-x/310000", mobile)));
        // What a reviewer limited to one carrier reads: that carrier's shards only.
        var grains = grid.Gateway.Services.GetRequiredService<IClusterClient>();
        var unicomShards = await grains.GetGrain<IReviewShardDirectoryGrain>(0).ListShards(["mvno-x"]);
        var unicomCases = await ReviewShards.ListPending(grains, ["mvno-x"], 1000, null);
        Assert.Equal(["mvno-x/310000"], unicomShards.ToArray());
        Assert.Equal((true, false), (unicomCases.Any(c => c.PhoneNumber == unicom), unicomCases.Any(c => c.PhoneNumber == mobile)));
    }

    [Fact]
    public async Task Listing_across_shards_pages_oldest_first_without_gaps_or_repeats_while_cases_are_decided()
    {
        var carriers = GatewayServer.TestCarriers;
        var phones = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            phones.Add(Requests.NewPhoneNumber());
            await ParkedForReview(Requests.Register(phones[^1], carrier: carriers[i % 3]));
        }

        var listed = new List<Contracts.V1.ReviewCase>();
        var token = "";
        do
        {
            var page = await Reviewer.ListPendingReviewsAsync(new ListPendingReviewsRequest { PageSize = 2, PageToken = token });
            listed.AddRange(page.Cases);
            token = page.NextPageToken;
            if (page.Cases.FirstOrDefault(c => phones.Contains(c.PhoneNumber)) is { } ours)
            {
                // Deciding a case already listed must not shift the next page.
                await Reviewer.DecideReviewAsync(new DecideReviewRequest { CaseId = ours.CaseId, Approve = true, Reason = "OK" });
            }
        }
        while (token.Length > 0);

        var listedOurs = listed.Where(c => phones.Contains(c.PhoneNumber)).Select(c => c.PhoneNumber).ToList();
        Assert.True(phones.SequenceEqual(listedOurs), $"listed [{string.Join(",", listedOurs)}] of [{string.Join(",", phones)}]; {await Diagnose()}");
        Assert.Equal(listed.Count, listed.Select(c => c.CaseId).Distinct().Count());
        Assert.All(listed.Zip(listed.Skip(1)), pair => Assert.True(OldestFirst(pair.First, pair.Second) < 0, $"{pair.First.CaseId} listed before {pair.Second.CaseId}"));
        await RpcAssert.Invalid("page_token", () => Reviewer.ListPendingReviewsAsync(new ListPendingReviewsRequest { PageToken = "not-a-token" }));
    }

    private async Task ParkedForReview(RegisterSubscriberRequest request)
    {
        var answer = await Channel.RegisterSubscriberAsync(request);
        Assert.True(answer.Subscriber.Status == SubscriberStatus.PendingReview, $"{request.Channel.CarrierId}: {answer}");
    }

    private static int OldestFirst(Contracts.V1.ReviewCase a, Contracts.V1.ReviewCase b)
    {
        var byTime = a.CreatedAt.ToDateTimeOffset().CompareTo(b.CreatedAt.ToDateTimeOffset());
        return byTime != 0 ? byTime : string.CompareOrdinal(a.CaseId, b.CaseId);
    }

    private async Task<bool> ShardHolds(string shardKey, string phone) =>
        (await grid.Gateway.Services.GetRequiredService<IClusterClient>().GetGrain<IReviewShardGrain>(shardKey).ListPending(1000, null))
            .Any(c => c.PhoneNumber == phone);

    private async Task<Contracts.V1.ReviewCase> PendingCaseAfterRegistering(string phone)
    {
        await Channel.RegisterSubscriberAsync(Requests.Register(phone));
        return await PendingCase(phone);
    }
}
