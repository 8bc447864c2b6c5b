using System.Text.Json;

namespace RealName.Grains.Subscribers;

/// <summary>
/// Builds audit events about a number. Every event carries the facts of the registration that opened it
/// (outlet, clerk, device, carrier, region, card type) so liability reports charge the right outlet;
/// the acting person is <c>actor</c>, and the authenticated caller whose request made the event
/// (<see cref="CallerContext.Current"/>, <c>system</c> for reminders) is <c>caller</c>.
/// </summary>
internal static class SubscriberAudit
{
    public static AuditEvent Event(Guid id, DateTimeOffset at, string type, string phone, ChannelFacts registeredBy, CardType cardType, string? identityKey, string actor) => new()
    {
        EventId = id,
        OccurredAt = at,
        EventType = type,
        PhoneNumber = phone,
        IdentityKey = identityKey,
        CarrierId = registeredBy.CarrierId,
        ChannelKind = WireCodes.Of(registeredBy.Kind),
        Region = registeredBy.Region,
        OutletId = registeredBy.OutletId,
        ClerkId = registeredBy.ClerkId,
        DeviceId = registeredBy.DeviceId,
        CardType = WireCodes.Of(cardType),
        Actor = actor,
        Caller = CallerContext.Current,
    };

    public static AuditEvent About(Guid id, DateTimeOffset at, string type, SubscriberRecord record, string actor) =>
        Event(id, at, type, record.PhoneNumber, record.RegisteredBy, record.CardType, record.Owner?.IdentityKey, actor);

    /// <summary>Face columns from the primary (customer) comparison; every person's summary goes into details.</summary>
    public static AuditEvent WithFaces(this AuditEvent e, IReadOnlyList<FaceSummary> faces)
    {
        var primary = faces.Count > 0 ? faces[0] : null;
        return primary is null ? e : e with
        {
            FaceCompared = primary.Decision is "MATCH" or "NO_MATCH" or "REVIEW",
            FaceDecision = primary.Decision,
            FaceScore = primary.Score,
            ModelVersion = primary.ModelVersion,
        };
    }

    public static string Details(object facts) => JsonSerializer.Serialize(facts);
}
