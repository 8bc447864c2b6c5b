using RealName.Grains.FaceIndex;
using RealName.Grains.Identities;

namespace RealName.Grains.Subscribers;

/// <summary>
/// The 1:N check of a live face: searched in the face index, a hit at or above the calibrated search threshold that
/// belongs to another identity (not the holder's, nor one of its former keys) links the two, parks the request in
/// review with <see cref="ReasonCode.FaceSeenUnderOtherIdentity"/> and raises a FACE_LINKED risk event.
/// </summary>
internal static class FaceSearch
{
    public static readonly string Reason = ReasonCodes.Wire(ReasonCode.FaceSeenUnderOtherIdentity);

    public static async Task<ImmutableList<FaceLink>> UnderOtherIdentities(
        IGrainFactory grains, FaceIndexOptions options, StoredTemplate? live, string identityKey, IEnumerable<string> formerKeys)
    {
        if (!options.SearchAtRegistration || live is null)
        {
            return [];
        }

        var own = formerKeys.Append(identityKey).ToHashSet(StringComparer.Ordinal);
        var hits = await FaceIndexShards.Search(grains, options.Shards, live.Embedding, live.ModelVersion, options.TopK);
        return [.. hits.Where(hit => !own.Contains(hit.Owner.IdentityKey))];
    }

    /// <summary>The risk event: who the face was seen under, where, and how close.</summary>
    public static AuditEvent RiskEvent(Guid id, AuditEvent about, SubscriberOwner subject, IReadOnlyList<FaceLink> links, string? caseId) => about with
    {
        EventId = id,
        EventType = AuditEventTypes.FaceLinked,
        Decision = AuditDecisions.PendingReview,
        FaceCompared = false,
        FaceDecision = null,
        FaceScore = links.Max(l => l.Score),
        Reasons = [Reason],
        Details = SubscriberAudit.Details(new { review_case = caseId }),
        // Other people's numbers and identity keys: personal fields, purged with the row at the end of retention.
        PersonalDetails = SubscriberAudit.Details(new
        {
            registration = new { masked_document_number = subject.MaskedDocumentNumber },
            links = Describe(links),
        }),
    };

    public static IEnumerable<object> Describe(IEnumerable<FaceLink> links) => links.Select(l => new
    {
        phone_number = l.Owner.PhoneNumber,
        identity_key = l.Owner.IdentityKey,
        masked_document_number = l.Owner.MaskedDocumentNumber,
        carrier_id = l.Owner.CarrierId,
        outlet_id = l.Owner.OutletId,
        clerk_id = l.Owner.ClerkId,
        score = l.Score,
    });

    /// <summary>The index row of a registration: one per number and registration time.</summary>
    public static string TemplateId(SubscriberRecord record) =>
        DeterministicIds.From(DeterministicIds.FaceTemplate, record.PhoneNumber, record.RegisteredAt.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToString("N");

    public static IndexedFace Indexed(SubscriberRecord record, SubscriberOwner owner, StoredTemplate live) => new(
        TemplateId(record),
        live.Embedding,
        live.ModelVersion,
        new FaceOwner(record.PhoneNumber, owner.IdentityKey, owner.MaskedDocumentNumber, owner.MaskedName,
            record.RegisteredBy.CarrierId, record.RegisteredBy.OutletId, record.RegisteredBy.ClerkId, record.RegisteredAt));
}
