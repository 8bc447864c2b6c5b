using RealName.Grains.Subscribers;

namespace RealName.Grains.Attempts;

/// <summary>
/// Counts a registration attempt against its customer's identity and its channel's device (across all outlets and
/// channels). Past a rate the attempt is refused with TOO_MANY_ATTEMPTS, with the REGISTRATION_ATTEMPTS_LIMITED risk
/// event the number's grain appends (one per request, counter and window: a retried request does not repeat it).
/// </summary>
internal static class RegistrationAttempts
{
    public static async Task<(Refusal Refusal, AuditEvent RiskEvent)?> Count(IGrainFactory grains, string phone, RegistrationRequest request, DateTimeOffset now)
    {
        var attemptId = DeterministicIds.From(DeterministicIds.RegistrationAttempt, phone, request.IdempotencyKey).ToString("N");
        var counters = new List<string>(2);
        if (request.Customer is { } customer)
        {
            counters.Add(AttemptCounters.Identity(customer.Identity.IdentityKey));
        }

        counters.Add(AttemptCounters.Device(request.Channel));
        foreach (var counter in counters)
        {
            if (await grains.GetGrain<IAttemptCounterGrain>(counter).Count(attemptId) is { } refusal)
            {
                return (refusal, RiskEvent(phone, request, now, refusal));
            }
        }

        return null;
    }

    private static AuditEvent RiskEvent(string phone, RegistrationRequest request, DateTimeOffset now, Refusal refusal)
    {
        var counter = refusal.Details.GetValueOrDefault("counter", "");
        var window = refusal.Details.GetValueOrDefault("window", "");
        var id = DeterministicIds.From(DeterministicIds.AttemptsLimited, phone, request.IdempotencyKey, counter, window);
        return SubscriberAudit.Event(id, now, AuditEventTypes.AttemptsLimited, phone, request.Channel, request.CardType, request.Customer?.Identity.IdentityKey, request.Channel.ClerkId) with
        {
            Decision = AuditDecisions.Refused,
            Reasons = [refusal.Code],
            Details = SubscriberAudit.Details(new { counter, window, limit = refusal.Details.GetValueOrDefault("limit", "") }),
        };
    }
}
