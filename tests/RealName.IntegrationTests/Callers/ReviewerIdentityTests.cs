using Grpc.Core;
using RealName.Contracts.V1;
using RealName.IntegrationTests.Rules;

namespace RealName.IntegrationTests.Callers;

/// <summary>The reviewer is the credential's caller: never a name in the request, never the clerk who opened the case.</summary>
[Collection(ReviewGridCollection.Name)]
public sealed class ReviewerIdentityTests(ReviewGridFixture grid)
{
    [Fact]
    public async Task A_reviewer_cannot_decide_a_case_opened_under_their_own_name_nor_claim_another_name()
    {
        var reviewer = await TestCallers.IssueAsync(grid.Gateway, "rv-self", CallerRole.Reviewer);
        var colleague = await TestCallers.IssueAsync(grid.Gateway, "rv-colleague", CallerRole.Reviewer);
        var phone = Requests.NewPhoneNumber();
        var request = Requests.Register(phone);
        // Spelled in capitals at the counter: found by buf curl, "Local-Reviewer" was let decide the case of "local-reviewer".
        request.Channel.ClerkId = reviewer.Caller.Name.ToUpperInvariant();
        var registered = await new RegistrationService.RegistrationServiceClient(grid.Gateway.As(Roles.RetailTerminal)).RegisterSubscriberAsync(request);
        Assert.Equal(SubscriberStatus.PendingReview, registered.Subscriber.Status);
        var caseId = registered.Subscriber.ReviewCaseId;
        var own = new ReviewService.ReviewServiceClient(grid.Gateway.WithKey(reviewer.ApiKey));
        var other = new ReviewService.ReviewServiceClient(grid.Gateway.WithKey(colleague.ApiKey));

        await TestCallers.Denied(StatusCode.PermissionDenied, "SELF_REVIEW_FORBIDDEN",
            () => own.DecideReviewAsync(new DecideReviewRequest { CaseId = caseId, Approve = true, Reason = "LOOKS_FINE" }).ResponseAsync);
#pragma warning disable CS0612 // the deprecated field is what this test sends
        await TestCallers.Denied(StatusCode.PermissionDenied, "REVIEWER_NOT_CALLER",
            () => other.DecideReviewAsync(new DecideReviewRequest { CaseId = caseId, ReviewerId = "someone-else", Approve = true, Reason = "OK" }).ResponseAsync);
#pragma warning restore CS0612
        var decided = await other.DecideReviewAsync(new DecideReviewRequest { CaseId = caseId, Approve = true, Reason = "SAME_PERSON_CONFIRMED" });

        Assert.Equal(SubscriberStatus.Active, decided.Status);
        Assert.Equal(1L, await grid.Database.ScalarAsync<long>(
            "SELECT count(*) FROM audit_events WHERE phone_number = @p AND event_type = 'REVIEW_DECIDED' AND actor = @a",
            ("p", phone), ("a", colleague.Caller.Name)));
    }

    [Fact]
    public async Task A_carrier_scoped_reviewer_neither_sees_nor_decides_another_carriers_case()
    {
        var scoped = await TestCallers.IssueAsync(grid.Gateway, "rv-mvno", CallerRole.Reviewer, carriers: ["mvno-x"]);
        var client = new ReviewService.ReviewServiceClient(grid.Gateway.WithKey(scoped.ApiKey));
        var phone = Requests.NewPhoneNumber();
        var registered = await new RegistrationService.RegistrationServiceClient(grid.Gateway.As(Roles.RetailTerminal)).RegisterSubscriberAsync(Requests.Register(phone));

        var visible = await client.ListPendingReviewsAsync(new ListPendingReviewsRequest { PageSize = 500 });
        var all = await new ReviewService.ReviewServiceClient(grid.Gateway.As(Roles.Reviewer)).ListPendingReviewsAsync(new ListPendingReviewsRequest { PageSize = 500 });

        Assert.Contains(all.Cases, c => c.PhoneNumber == phone);
        Assert.DoesNotContain(visible.Cases, c => c.Channel.CarrierId != "mvno-x");
        await TestCallers.Denied(StatusCode.PermissionDenied, "CALLER_SCOPE_MISMATCH",
            () => client.DecideReviewAsync(new DecideReviewRequest { CaseId = registered.Subscriber.ReviewCaseId, Approve = true, Reason = "OK" }).ResponseAsync);
    }
}
