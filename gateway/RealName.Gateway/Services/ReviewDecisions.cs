using RealName.Grains.Reviews;
using RealName.Grains.Subscribers;
using RealName.Rules;

namespace RealName.Gateway.Services;

/// <summary>
/// A reviewer's decision on a case, the one path for the gRPC DecideReview and the web workbench: the case must be
/// pending and within the reviewer's carriers, nobody decides a case opened under their own name, and the number's
/// grain records the decision with the reviewer before the case leaves the queue.
/// </summary>
public static class ReviewDecisions
{
    public static async Task<(string PhoneNumber, SubscriberStatus Status)> DecideAsync(
        IClusterClient cluster, CallerRights rights, string reviewer, string caseId, bool approve, string reason)
    {
        var shard = await ReviewShards.Find(cluster, caseId) ?? throw NotPending();
        if (await shard.Get(caseId) is not { } reviewCase)
        {
            return await AnswerAsDecidedAsync(cluster, shard, rights, reviewer, caseId, approve, reason);
        }

        rights.RequireCarrier(reviewCase.Channel.CarrierId);
        // Case-insensitive: a clerk id typed "Local-Reviewer" at the counter is the same person as caller "local-reviewer".
        if (string.Equals(reviewCase.Channel.ClerkId.Trim(), reviewer, StringComparison.OrdinalIgnoreCase))
        {
            throw GrpcErrors.Error(ReasonCode.SelfReviewForbidden, "A reviewer cannot decide a case opened under their own name.");
        }

        var outcome = await cluster.GetGrain<ISubscriberGrain>(reviewCase.PhoneNumber)
            .ApplyReviewDecision(new ReviewDecision(caseId, reviewer, approve, reason.Trim()));
        // The number no longer has the case open (decided, cancelled): either way it leaves the queue.
        await shard.Complete(caseId);
        if (outcome.Refusal?.Code == ReasonCode.ReviewCaseNotFound.Wire())
        {
            // Decided before, and the case stayed listed because taking it out failed: the decision on record answers.
            return await AnswerAsDecidedAsync(cluster, shard, rights, reviewer, caseId, approve, reason);
        }

        return (reviewCase.PhoneNumber, outcome.Accepted().Status);
    }

    /// <summary>
    /// A case no longer pending: the same decision by the same reviewer (a retry after a lost answer, a form sent twice)
    /// gets the number and its status now, as the first did; any other decision is FAILED_PRECONDITION /
    /// REVIEW_ALREADY_DECIDED; a case with no decision on record is NOT_FOUND.
    /// </summary>
    private static async Task<(string PhoneNumber, SubscriberStatus Status)> AnswerAsDecidedAsync(
        IClusterClient cluster, IReviewShardGrain shard, CallerRights rights, string reviewer, string caseId, bool approve, string reason)
    {
        var decided = await shard.GetDecided(caseId) ?? throw NotPending();
        rights.RequireCarrier(decided.CarrierId);
        if (!decided.IsRepeatedBy(reviewer, approve, reason))
        {
            throw GrpcErrors.Error(ReasonCode.ReviewAlreadyDecided, "The case was already decided; the first decision stands.",
                new Dictionary<string, string> { ["decision"] = decided.Approved ? "APPROVED" : "REJECTED" });
        }

        var record = await cluster.GetGrain<ISubscriberGrain>(decided.PhoneNumber).GetRecord() ?? throw NotPending();
        return (decided.PhoneNumber, record.Status);
    }

    private static Grpc.Core.RpcException NotPending() =>
        GrpcErrors.For(new RuleViolation(ReasonCode.ReviewCaseNotFound, "case_id", "No pending case with that id."));
}
