using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using RealName.Contracts.V1;
using RealName.Gateway.Errors;
using RealName.Gateway.Security;
using RealName.Gateway.Validation;
using RealName.Grains.Reviews;
using RealName.Grains.Subscribers;
using RealName.Rules;
using ContractCase = RealName.Contracts.V1.ReviewCase;
using ContractCaseKind = RealName.Contracts.V1.ReviewCaseKind;

namespace RealName.Gateway.Services;

/// <summary>realname.v1.ReviewService: the manual-review queue.</summary>
[Authorize(Roles = Roles.Reviewer)]
public sealed class ReviewGrpcService(IClusterClient cluster) : ReviewService.ReviewServiceBase
{
    private IReviewQueueGrain Queue => cluster.GetGrain<IReviewQueueGrain>(0);

    public override async Task<ListPendingReviewsResponse> ListPendingReviews(ListPendingReviewsRequest request, ServerCallContext context)
    {
        var size = request.PageSize == 0 ? 50 : request.PageSize;
        if (size is < 1 or > 500)
        {
            var violations = new Violations();
            violations.Add("page_size", "between 1 and 500");
            violations.ThrowIfAny();
        }

        var cases = await Queue.ListPending(size + 1, string.IsNullOrEmpty(request.PageToken) ? null : request.PageToken);
        var response = new ListPendingReviewsResponse();
        foreach (var c in cases.Take(size))
        {
            var contract = new ContractCase
            {
                CaseId = c.CaseId,
                Kind = c.Kind == Grains.Reviews.ReviewCaseKind.Registration ? ContractCaseKind.Registration : ContractCaseKind.ReReview,
                PhoneNumber = c.PhoneNumber,
                CardType = c.CardType.ToContract(),
                Channel = c.Channel.ToContract(),
                CreatedAt = Timestamp.FromDateTimeOffset(c.CreatedAt),
            };
            contract.Faces.AddRange(c.Faces.Select(f => f.ToContract()));
            response.Cases.Add(contract);
        }

        response.NextPageToken = cases.Count > size ? response.Cases[^1].CaseId : "";
        return response;
    }

    public override async Task<DecideReviewResponse> DecideReview(DecideReviewRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        if (string.IsNullOrWhiteSpace(request.CaseId))
        {
            violations.Add("case_id", "required");
        }

        if (string.IsNullOrWhiteSpace(request.Reason))
        {
            violations.Add("reason", "required: reviewers record why");
        }

        violations.ThrowIfAny();
        var reviewCase = await Queue.Get(request.CaseId)
            ?? throw GrpcErrors.Refused(new RuleViolation(ReasonCode.ReviewCaseNotFound, "case_id", "No pending case with that id."));

        var reviewer = string.IsNullOrWhiteSpace(request.ReviewerId) ? Caller.Name(context) : request.ReviewerId.Trim();
        var outcome = await cluster.GetGrain<ISubscriberGrain>(reviewCase.PhoneNumber)
            .ApplyReviewDecision(new ReviewDecision(request.CaseId, reviewer, request.Approve, request.Reason.Trim()));
        // The number no longer has the case open (decided, cancelled): either way it leaves the queue.
        await Queue.Complete(request.CaseId);
        if (outcome.Refusal is { } refusal)
        {
            throw GrpcErrors.Refused(refusal);
        }

        return new DecideReviewResponse { PhoneNumber = reviewCase.PhoneNumber, Status = outcome.Record!.Status.ToContract() };
    }
}
