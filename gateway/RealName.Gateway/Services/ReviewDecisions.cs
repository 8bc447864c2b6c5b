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
        var shard = await ReviewShards.Find(cluster, caseId);
        var reviewCase = (shard is null ? null : await shard.Get(caseId))
            ?? throw GrpcErrors.For(new RuleViolation(ReasonCode.ReviewCaseNotFound, "case_id", "No pending case with that id."));
        rights.RequireCarrier(reviewCase.Channel.CarrierId);
        if (string.Equals(reviewCase.Channel.ClerkId, reviewer, StringComparison.Ordinal))
        {
            throw GrpcErrors.Error(ReasonCode.SelfReviewForbidden, "A reviewer cannot decide a case opened under their own name.");
        }

        var outcome = await cluster.GetGrain<ISubscriberGrain>(reviewCase.PhoneNumber)
            .ApplyReviewDecision(new ReviewDecision(caseId, reviewer, approve, reason.Trim()));
        // The number no longer has the case open (decided, cancelled): either way it leaves the queue.
        await shard!.Complete(caseId);
        return (reviewCase.PhoneNumber, outcome.Accepted().Status);
    }
}
