namespace RealName.Grains.Subscribers;

/// <summary>The kept images of an open registration review case, shown to its reviewer (the workbench).</summary>
public sealed partial class SubscriberGrain
{
    public async Task<ImmutableList<EvidenceImage>> GetCaseEvidence(string caseId)
    {
        if (Record is not { } record || EvidenceOfCase(record, caseId) is not { } eventId)
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

    /// <summary>The evidence id of the number's open case <paramref name="caseId"/>: its registration's, or the re-review answer's.</summary>
    private static Guid? EvidenceOfCase(SubscriberRecord record, string caseId) =>
        record switch
        {
            { Status: SubscriberStatus.PendingReview, RegistrationEventId: { } registration } when record.ReviewCaseId == caseId => registration,
            { ReReview: { EvidenceId: { } answer } running } when running.ReviewCaseId == caseId => answer,
            _ => null,
        };
}
