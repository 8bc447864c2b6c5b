using Microsoft.Extensions.Options;
using RealName.Grains.Liveness;
using RealName.Grains.Subscribers;

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
    IOptions<SelfServiceOptions> selfService,
    LivenessVerifier liveness,
    AuditLog audit) : Grain, IIdentityGrain
{
    public async Task<ReservationResult> Reserve(string phoneNumber, string carrierId, int limit, ImmutableList<string>? formerKeys = null)
    {
        var now = clock.GetUtcNow();
        var live = Live(now);
        var former = await HeldUnderFormerKeys(formerKeys, carrierId);
        if (live.Any(n => n.PhoneNumber == phoneNumber))
        {
            // A retry of the same registration keeps its place.
            return new ReservationResult(true, CountAt(live, carrierId) + former, limit);
        }

        var held = CountAt(live, carrierId) + former;
        if (IdentityLimits.CheckOneMore(held, limit) is not null)
        {
            return new ReservationResult(false, held, limit);
        }

        state.State = state.State with { Numbers = live.Add(new HeldNumber(phoneNumber, carrierId, Confirmed: false, now)) };
        await state.WriteStateAsync();
        return new ReservationResult(true, held + 1, limit);
    }

    public Task<int> HeldAt(string carrierId) => Task.FromResult(CountAt(Live(clock.GetUtcNow()), carrierId));

    public async Task<ConfirmationResult> Confirm(IdentityConfirmation confirmation)
    {
        var now = clock.GetUtcNow();
        var numbers = Live(now);
        var index = numbers.FindIndex(n => n.PhoneNumber == confirmation.PhoneNumber);
        var wasConfirmed = index >= 0 && numbers[index].Confirmed;
        if (index >= 0)
        {
            numbers = numbers.SetItem(index, numbers[index] with { Confirmed = true });
        }
        else
        {
            // The reservation expired before the registration was confirmed: take the place again if there is one.
            var held = CountAt(numbers, confirmation.CarrierId);
            if (held >= confirmation.Limit)
            {
                return new ConfirmationResult(false, held, []);
            }

            numbers = numbers.Add(new HeldNumber(confirmation.PhoneNumber, confirmation.CarrierId, Confirmed: true, now));
        }

        state.State = state.State with
        {
            Numbers = numbers,
            Document = state.State.Document ?? confirmation.Document,
            Enrollment = state.State.Enrollment ?? confirmation.Enrollment,
        };
        await state.WriteStateAsync();

        var confirmed = numbers.Where(n => n.Confirmed).ToList();
        var others = IdentityLimits.ReachesManyCards(!wasConfirmed, confirmed.Count, confirmation.ManyCardsThreshold)
            ? confirmed.Where(n => n.PhoneNumber != confirmation.PhoneNumber).Select(n => n.PhoneNumber).ToImmutableList()
            : [];
        return new ConfirmationResult(true, CountAt(numbers, confirmation.CarrierId), others);
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

    public async Task<bool> PurgeUnlessHeld(string phoneNumber)
    {
        var now = clock.GetUtcNow();
        var numbers = Live(now).RemoveAll(n => n.PhoneNumber == phoneNumber);
        if (numbers.Count > 0)
        {
            if (numbers.Count != state.State.Numbers.Count)
            {
                state.State = state.State with { Numbers = numbers };
                await state.WriteStateAsync();
            }

            return false;
        }

        // The audit rows first: a crash before the state write is finished by the number's next retention tick.
        await audit.PurgeIdentityAsync(this.GetPrimaryKeyString(), now);
        state.State = new IdentityState();
        await state.WriteStateAsync();
        return true;
    }

    public Task<Enrollment?> GetEnrollment() => Task.FromResult(state.State.Enrollment);

    public Task<SubscriberOwner?> GetDocument() => Task.FromResult(state.State.Document);

    public Task<ImmutableList<HeldNumber>> GetNumbers() => Task.FromResult(Confirmed());

    public async Task<HolderVerification> VerifyHolder(HolderCheck check)
    {
        var now = clock.GetUtcNow();
        var channel = check.Channel;
        var lookup = new AuditEvent
        {
            EventId = DeterministicIds.From(DeterministicIds.SelfService, this.GetPrimaryKeyString(), check.RequestId),
            OccurredAt = now,
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

        if (state.State.SelfServiceLockedUntil is { } lockedUntil && lockedUntil > now)
        {
            var locked = SelfServiceLock.Refusal(lockedUntil, now);
            await audit.AppendAsync(lookup with { Decision = AuditDecisions.Denied, Reasons = [locked.Code] });
            return new HolderVerification(null, locked, []);
        }

        if (SelfServiceLiveness(check) is { } livenessRefusal)
        {
            await audit.AppendAsync(lookup with { Decision = AuditDecisions.Denied, Reasons = [livenessRefusal.Code] });
            return new HolderVerification(null, livenessRefusal, []);
        }

        if (state.State.Enrollment is not { } enrollment)
        {
            await audit.AppendAsync(lookup with { Decision = AuditDecisions.Denied, Reasons = [RefusalCodes.NoEnrolledFace] });
            return new HolderVerification(null, new Refusal(RefusalCodes.NoEnrolledFace, "No verified registration exists under this document."), []);
        }

        var faces = await FaceChecks.ForHolder(GrainFactory, enrollment, check.Live);
        var face = faces.Summaries[0];
        if (faces.Refusal is not null || faces.NeedsReview)
        {
            // A borderline score does not prove the holder: refuse rather than show the numbers.
            var refusal = faces.Refusal ?? new Refusal(RefusalCodes.FaceMismatch, "The live face could not be confirmed as the identity holder's.");
            await audit.AppendAsync(lookup.WithFaces(faces.Summaries) with { Decision = AuditDecisions.Denied, Reasons = [refusal.Code] });
            state.State = SelfServiceLock.AfterFailure(state.State, now, selfService.Value);
            await state.WriteStateAsync();
            return new HolderVerification(face, refusal, []);
        }

        await audit.AppendAsync(lookup.WithFaces(faces.Summaries) with { Decision = AuditDecisions.Allowed });
        if (state.State.FailedProofs.Count > 0)
        {
            state.State = state.State with { FailedProofs = [] };
            await state.WriteStateAsync();
        }

        return new HolderVerification(face, null, Confirmed());
    }

    /// <summary>Self-service is remote by nature: every proof needs a passed, verified liveness attestation.</summary>
    private Refusal? SelfServiceLiveness(HolderCheck check)
    {
        if (check.Liveness is not { } attestation)
        {
            return new Refusal(RefusalCodes.LivenessRequired, "Self-service needs the channel SDK's liveness attestation.");
        }

        if (!attestation.Passed || attestation.Score < rules.Value.MinLivenessScore)
        {
            return new Refusal(RefusalCodes.LivenessFailed, "The liveness attestation did not pass the channel policy.");
        }

        return liveness.Verify(attestation, check.PhoneNumber);
    }

    private ImmutableList<HeldNumber> Confirmed() => state.State.Numbers.Where(n => n.Confirmed).ToImmutableList();

    /// <summary>Held numbers plus reservations that have not timed out.</summary>
    private ImmutableList<HeldNumber> Live(DateTimeOffset now) =>
        state.State.Numbers.RemoveAll(n => !IdentityLimits.Counts(new Holding(n.CarrierId, n.Confirmed, n.Since), now, rules.Value.ReservationTimeout));

    private async Task<int> HeldUnderFormerKeys(ImmutableList<string>? formerKeys, string carrierId)
    {
        var held = 0;
        foreach (var key in formerKeys ?? [])
        {
            if (key != this.GetPrimaryKeyString())
            {
                held += await GrainFactory.GetGrain<IIdentityGrain>(key).HeldAt(carrierId);
            }
        }

        return held;
    }

    private static int CountAt(ImmutableList<HeldNumber> numbers, string carrierId) => numbers.Count(n => n.CarrierId == carrierId);
}
