using System.Text.Json;

namespace RealName.Grains.Identities;

/// <summary>
/// Lazy re-keying. When a person presents their document, the gateway names the document's keys under earlier key
/// schemes and HMAC key versions; the grain of the current key adopts what they hold (numbers, enrolled faces,
/// masked document, self-service history) and they forward every later call to it. A key cannot be mapped to its
/// successor without the document number, which is what the HMAC protects, so this is the only point it can happen.
/// </summary>
public sealed partial class IdentityGrain
{
    /// <summary>The grain this one was handed over to, when it was.</summary>
    private IIdentityGrain? Successor =>
        state.State.MovedTo is { } key ? GrainFactory.GetGrain<IIdentityGrain>(key) : null;

    public async Task<IdentityHandOver?> HandOver(string successorKey)
    {
        if (Successor is not null && state.State.MovedTo != successorKey)
        {
            // Already adopted by another key of the person; that grain hands over in turn.
            return null;
        }

        if (state.State.IsEmpty)
        {
            return null;
        }

        if (state.State.MovedTo is null)
        {
            state.State = state.State with { MovedTo = successorKey };
            await state.WriteStateAsync();
        }

        var s = state.State;
        return new IdentityHandOver(s.Numbers, s.Enrollment, s.Document, s.FailedProofs, s.SelfServiceLockedUntil);
    }

    public async Task ForgetHandedOver(string successorKey)
    {
        if (state.State.MovedTo == successorKey && !state.State.IsEmpty)
        {
            state.State = new IdentityState { MovedTo = successorKey, Adopted = state.State.Adopted };
            await state.WriteStateAsync();
        }
    }

    /// <summary>Takes over what the former keys hold: stored here first, then forgotten there, then audited.</summary>
    private async Task Adopt(ImmutableList<string>? formerKeys)
    {
        var self = this.GetPrimaryKeyString();
        var handedOver = new List<(string Key, IdentityHandOver Data)>();
        foreach (var key in (formerKeys ?? []).Distinct(StringComparer.Ordinal))
        {
            if (key != self && !state.State.Adopted.Contains(key)
                && await GrainFactory.GetGrain<IIdentityGrain>(key).HandOver(self) is { } data)
            {
                handedOver.Add((key, data));
            }
        }

        if (handedOver.Count == 0)
        {
            return;
        }

        state.State = handedOver.Aggregate(state.State, (merged, former) => Merge(merged, former.Key, former.Data));
        await state.WriteStateAsync();
        foreach (var (key, data) in handedOver)
        {
            await GrainFactory.GetGrain<IIdentityGrain>(key).ForgetHandedOver(self);
            await audit.AppendAsync(new AuditEvent
            {
                EventId = DeterministicIds.From(DeterministicIds.IdentityAdopted, self, key),
                OccurredAt = clock.GetUtcNow(),
                EventType = AuditEventTypes.IdentityAdopted,
                IdentityKey = self,
                Actor = "system",
                Caller = CallerContext.Current,
                Details = JsonSerializer.Serialize(new { numbers = data.Numbers.Count, enrolled_faces = data.Enrollment is not null }),
                PersonalDetails = JsonSerializer.Serialize(new { former_identity_key = key }),
            });
        }
    }

    /// <summary>This identity's own facts win; numbers are joined (a number under both keys counts once).</summary>
    private static IdentityState Merge(IdentityState own, string formerKey, IdentityHandOver former) => own with
    {
        Numbers = own.Numbers.AddRange(former.Numbers.Where(n => own.Numbers.All(o => o.PhoneNumber != n.PhoneNumber))),
        Enrollment = own.Enrollment ?? former.Enrollment,
        Document = own.Document ?? former.Document,
        FailedProofs = own.FailedProofs.AddRange(former.FailedProofs).Sort(),
        SelfServiceLockedUntil = Later(own.SelfServiceLockedUntil, former.SelfServiceLockedUntil),
        Adopted = own.Adopted.Add(formerKey),
    };

    private static DateTimeOffset? Later(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : a > b ? a : b;
}
