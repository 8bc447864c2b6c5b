namespace RealName.Grains.Subscribers;

/// <summary>The kept images of an open registration review case, shown to its reviewer (the workbench).</summary>
public sealed partial class SubscriberGrain
{
    public async Task<ImmutableList<EvidenceImage>> GetCaseEvidence(string caseId)
    {
        if (Record is not { Status: SubscriberStatus.PendingReview, RegistrationEventId: { } eventId } record || record.ReviewCaseId != caseId)
        {
            return [];
        }

        var images = await evidenceStore.LoadAsync(eventId);
        var reviewer = CallerContext.Current;
        await audit.AppendAsync(SubscriberAudit.About(DeterministicIds.From(DeterministicIds.EvidenceViewed, caseId, reviewer), clock.GetUtcNow(), AuditEventTypes.EvidenceViewed, record, reviewer) with
        {
            Details = SubscriberAudit.Details(new { case_id = caseId, images = images.Count }),
        });
        return [.. images.Select(i => new EvidenceImage(i.Person, i.ImageKind, i.Image))];
    }
}
