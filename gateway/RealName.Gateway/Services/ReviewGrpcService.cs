using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using RealName.Contracts.V1;
using RealName.Gateway.Errors;
using RealName.Gateway.Security;
using RealName.Gateway.Validation;
using RealName.Grains.Reviews;
using RealName.Grains.Subscribers;
using ContractCase = RealName.Contracts.V1.ReviewCase;
using ContractCaseKind = RealName.Contracts.V1.ReviewCaseKind;

namespace RealName.Gateway.Services;

/// <summary>
/// realname.v1.ReviewService: the manual-review queue. The reviewer is the authenticated caller; a
/// carrier-scoped reviewer sees and decides only its carriers' cases, and nobody decides a case opened
/// under a clerk id equal to their own caller name.
/// </summary>
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

        var cases = await Visible(CallerRights.Of(context), size + 1, string.IsNullOrEmpty(request.PageToken) ? null : request.PageToken);
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
            ?? throw GrpcErrors.NotFound("REVIEW_CASE_NOT_FOUND", "No pending case with that id.");

#pragma warning disable CS0612 // the deprecated reviewer_id is read only to refuse a mismatch
        var reviewer = Caller.Acting(context, request.ReviewerId, "REVIEWER_NOT_CALLER");
#pragma warning restore CS0612
        CallerRights.Of(context).RequireCarrier(reviewCase.Channel.CarrierId);
        if (string.Equals(reviewCase.Channel.ClerkId, reviewer, StringComparison.Ordinal))
        {
            throw GrpcErrors.PermissionDenied("SELF_REVIEW_FORBIDDEN", "A reviewer cannot decide a case opened under their own name.");
        }

        var outcome = await cluster.GetGrain<ISubscriberGrain>(reviewCase.PhoneNumber)
            .ApplyReviewDecision(new ReviewDecision(request.CaseId, reviewer, request.Approve, request.Reason.Trim()));
        // The number no longer has the case open (decided, cancelled): either way it leaves the queue.
        await Queue.Complete(request.CaseId);
        if (outcome.Refusal is { } refusal)
        {
            throw GrpcErrors.NotFound(refusal.Code, refusal.Message);
        }

        return new DecideReviewResponse { PhoneNumber = reviewCase.PhoneNumber, Status = outcome.Record!.Status.ToContract() };
    }

    /// <summary>Up to <paramref name="count"/> pending cases after <paramref name="after"/> of the carriers the caller may see.</summary>
    private async Task<List<Grains.Reviews.ReviewCase>> Visible(CallerRights scope, int count, string? after)
    {
        var visible = new List<Grains.Reviews.ReviewCase>();
        while (visible.Count < count)
        {
            var page = await Queue.ListPending(count, after);
            visible.AddRange(page.Where(c => scope.ActsFor(c.Channel.CarrierId)));
            if (page.Count < count)
            {
                break;
            }

            after = page[^1].CaseId;
        }

        return visible;
    }
}
