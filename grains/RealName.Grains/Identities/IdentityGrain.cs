using System.Collections.Immutable;
using Microsoft.Extensions.Options;
using RealName.Grains.Subscribers;
using RealName.Storage;
using RealName.Rules;
using RealName.Storage.Reads;

namespace RealName.Grains.Identities;

/// <summary>
/// One identity: the numbers under it and its enrolled faces. Orleans runs one call at a time here, so
/// the count-then-reserve of the per-identity limit is atomic even when terminals race.
/// </summary>
[GrainType("identity")]
public sealed class IdentityGrain(
    [PersistentState("identity", GrainStorage.Name)] IPersistentState<IdentityState> state,
    TimeProvider clock,
    IOptions<RuleOptions> rules,
    AuditLog audit) : Grain, IIdentityGrain
{
    public async Task<ReservationResult> Reserve(string phoneNumber, string carrierId, int limit)
    {
        var now = clock.GetUtcNow();
        var live = Live(now);
        if (live.Any(n => n.PhoneNumber == phoneNumber))
        {
            // A retry of the same registration keeps its place.
            return new ReservationResult(true, CountAt(live, carrierId), limit);
        }

        var held = CountAt(live, carrierId);
        if (IdentityLimits.CheckOneMore(held, limit) is not null)
        {
            return new ReservationResult(false, held, limit);
        }

        state.State = state.State with { Numbers = live.Add(new HeldNumber(phoneNumber, carrierId, Confirmed: false, now)) };
        await state.WriteStateAsync();
        return new ReservationResult(true, held + 1, limit);
    }

    public async Task<ImmutableList<string>> Confirm(string phoneNumber, SubscriberOwner document, Enrollment? enrollment, int manyCardsThreshold)
    {
        var numbers = state.State.Numbers;
        var index = numbers.FindIndex(n => n.PhoneNumber == phoneNumber);
        if (index < 0)
        {
            return [];
        }

        var wasConfirmed = numbers[index].Confirmed;
        numbers = numbers.SetItem(index, numbers[index] with { Confirmed = true });
        state.State = state.State with
        {
            Numbers = numbers,
            Document = state.State.Document ?? document,
            Enrollment = state.State.Enrollment ?? enrollment,
        };
        await state.WriteStateAsync();

        var confirmed = numbers.Where(n => n.Confirmed).ToList();
        return IdentityLimits.ReachesManyCards(!wasConfirmed, confirmed.Count, manyCardsThreshold)
            ? confirmed.Where(n => n.PhoneNumber != phoneNumber).Select(n => n.PhoneNumber).ToImmutableList()
            : [];
    }

    public async Task Release(string phoneNumber)
    {
        var numbers = state.State.Numbers.RemoveAll(n => n.PhoneNumber == phoneNumber);
        if (numbers.Count != state.State.Numbers.Count)
        {
            state.State = state.State with { Numbers = numbers };
            await state.WriteStateAsync();
        }
    }

    public Task<Enrollment?> GetEnrollment() => Task.FromResult(state.State.Enrollment);

    public Task<SubscriberOwner?> GetDocument() => Task.FromResult(state.State.Document);

    public Task<ImmutableList<HeldNumber>> GetNumbers() => Task.FromResult(Confirmed());

    public async Task<HolderVerification> VerifyHolder(byte[] live, ChannelFacts channel, string requestId)
    {
        var lookup = new AuditEvent
        {
            EventId = DeterministicIds.From(DeterministicIds.SelfService, this.GetPrimaryKeyString(), requestId),
            OccurredAt = clock.GetUtcNow(),
            EventType = AuditEventTypes.SelfServiceLookup,
            IdentityKey = this.GetPrimaryKeyString(),
            CarrierId = channel.CarrierId,
            ChannelKind = WireCodes.Of(channel.Kind),
            Region = channel.Region,
            OutletId = channel.OutletId,
            ClerkId = channel.ClerkId,
            DeviceId = channel.DeviceId,
            Actor = "holder",
            Caller = CallerContext.Current,
        };

        if (state.State.Enrollment is not { } enrollment)
        {
            await audit.AppendAsync(lookup with { Decision = AuditDecisions.Denied, Reasons = [RefusalCodes.NoEnrolledFace] });
            return new HolderVerification(null, new Refusal(RefusalCodes.NoEnrolledFace, "No verified registration exists under this document."), []);
        }

        var check = await FaceChecks.ForHolder(GrainFactory, enrollment, live);
        var face = check.Summaries[0];
        if (check.Refusal is not null || check.NeedsReview)
        {
            // A borderline score does not prove the holder: refuse rather than show the numbers.
            var refusal = check.Refusal ?? new Refusal(RefusalCodes.FaceMismatch, "The live face could not be confirmed as the identity holder's.");
            await audit.AppendAsync(lookup.WithFaces(check.Summaries) with { Decision = AuditDecisions.Denied, Reasons = [refusal.Code] });
            return new HolderVerification(face, refusal, []);
        }

        await audit.AppendAsync(lookup.WithFaces(check.Summaries) with { Decision = AuditDecisions.Allowed });
        return new HolderVerification(face, null, Confirmed());
    }

    private ImmutableList<HeldNumber> Confirmed() => state.State.Numbers.Where(n => n.Confirmed).ToImmutableList();

    /// <summary>Held numbers plus reservations that have not timed out.</summary>
    private ImmutableList<HeldNumber> Live(DateTimeOffset now) =>
        state.State.Numbers.RemoveAll(n => !IdentityLimits.Counts(new Holding(n.CarrierId, n.Confirmed, n.Since), now, rules.Value.ReservationTimeout));

    private static int CountAt(ImmutableList<HeldNumber> numbers, string carrierId) => numbers.Count(n => n.CarrierId == carrierId);
}
