using System.Collections.Immutable;
using Google.Protobuf.WellKnownTypes;
using RealName.Contracts.V1;
using RealName.Grains.Reviews;
using RealName.Grains.Subscribers;
using RealName.Rules;
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
    public override async Task<ListPendingReviewsResponse> ListPendingReviews(ListPendingReviewsRequest request, ServerCallContext context)
    {
        var size = request.PageSize == 0 ? 50 : request.PageSize;
        if (size is < 1 or > 500)
        {
            var violations = new Violations();
            violations.Add("page_size", "OUT_OF_RANGE: between 1 and 500");
            violations.ThrowIfAny();
        }

        ReviewCursor? after = null;
        if (!string.IsNullOrEmpty(request.PageToken) && !ReviewPageTokens.TryParse(request.PageToken, out after))
        {
            var violations = new Violations();
            violations.Add("page_token", "INVALID_PAGE_TOKEN: not a token from an earlier page");
            violations.ThrowIfAny();
        }

        var cases = await ReviewShards.ListPending(cluster, VisibleCarriers(context), size + 1, after);
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
            contract.FaceLinks.AddRange(c.FaceLinks.Select(l => l.ToContract(CallerRights.Of(context))));
            response.Cases.Add(contract);
        }

        response.NextPageToken = cases.Count > size ? ReviewPageTokens.Of(ReviewCursor.Of(cases[size - 1])) : "";
        return response;
    }

    /// <summary>The carriers whose shards the caller may read; null for every carrier (a reviewer without a carrier scope).</summary>
    private static ImmutableArray<string>? VisibleCarriers(ServerCallContext context) =>
        CallerRights.Of(context).CarrierIds is { Count: > 0 } carriers ? [.. carriers.Order(StringComparer.Ordinal)] : null;

    public override async Task<DecideReviewResponse> DecideReview(DecideReviewRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        if (string.IsNullOrWhiteSpace(request.CaseId))
        {
            violations.Add(new RuleViolation(ReasonCode.FieldRequired, "case_id", "required"));
        }

        if (string.IsNullOrWhiteSpace(request.Reason))
        {
            violations.Add(new RuleViolation(ReasonCode.FieldRequired, "reason", "required: reviewers record why"));
        }

        violations.ThrowIfAny();
#pragma warning disable CS0612 // the deprecated reviewer_id is read only to refuse a mismatch
        var reviewer = Caller.Acting(context, request.ReviewerId, ReasonCode.ReviewerNotCaller);
#pragma warning restore CS0612
        var (phone, status) = await ReviewDecisions.DecideAsync(cluster, CallerRights.Of(context), reviewer, request.CaseId, request.Approve, request.Reason);
        return new DecideReviewResponse { PhoneNumber = phone, Status = status.ToContract() };
    }
}
