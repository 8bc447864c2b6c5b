using Microsoft.Extensions.Options;
using RealName.Face;
using RealName.Grains.Liveness;
using RealName.Grains.Subscribers;

namespace RealName.Grains.Identities;

/// <summary>
/// One identity: the numbers under it and its enrolled faces. Orleans runs one call at a time here, so
/// the count-then-reserve of the per-identity limit is atomic even when terminals race. A grain whose data
/// was handed over to the same person's newer key forwards every call there (IdentityGrain.Adoption.cs).
/// </summary>
[GrainType("identity")]
[Placement.AuditPartitionPlacement]
public sealed partial class IdentityGrain(
    [PersistentState("identity", GrainStorage.Name)] IPersistentState<IdentityState> state,
    TimeProvider clock,
    IOptions<RuleOptions> rules,
    IOptions<SelfServiceOptions> selfService,
    LivenessVerifier liveness,
    IFaceEngine faceEngine,
    AuditLog audit) : Grain, IIdentityGrain
{
    public async Task<ReservationResult> Reserve(string phoneNumber, string carrierId, int limit, ImmutableList<string>? formerKeys = null)
    {
        if (Successor is { } successor)
        {
            return await successor.Reserve(phoneNumber, carrierId, limit, formerKeys);
        }

        await Adopt(formerKeys);
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

    public Task<int> HeldAt(string carrierId) =>
        Successor?.HeldAt(carrierId) ?? Task.FromResult(CountAt(Live(clock.GetUtcNow()), carrierId));

    public async Task<ConfirmationResult> Confirm(IdentityConfirmation confirmation)
    {
        if (Successor is { } successor)
        {
            return await successor.Confirm(confirmation);
        }

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
            Enrollment = Enrolled(state.State.Enrollment, confirmation.Enrollment),
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
        if (Successor is { } successor)
        {
            await successor.Release(phoneNumber);
            return;
        }

        var numbers = state.State.Numbers.RemoveAll(n => n.PhoneNumber == phoneNumber);
        if (numbers.Count != state.State.Numbers.Count)
        {
            state.State = state.State with { Numbers = numbers };
            await state.WriteStateAsync();
        }
    }

    public async Task<bool> PurgeUnlessHeld(string phoneNumber)
    {
        if (Successor is { } successor)
        {
            return await successor.PurgeUnlessHeld(phoneNumber);
        }

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
        foreach (var former in state.State.Adopted)
        {
            // Their self-service rows, and any copy a crash left behind before it was forgotten.
            await audit.PurgeIdentityAsync(former, now);
            await GrainFactory.GetGrain<IIdentityGrain>(former).ForgetHandedOver(this.GetPrimaryKeyString());
        }

        state.State = new IdentityState();
        await state.WriteStateAsync();
        return true;
    }

    public async Task<Enrollment?> GetEnrollment(ImmutableList<string>? formerKeys = null)
    {
        if (Successor is { } successor)
        {
            return await successor.GetEnrollment(formerKeys);
        }

        await Adopt(formerKeys);
        return state.State.Enrollment;
    }

    public Task<SubscriberOwner?> GetDocument() => Successor?.GetDocument() ?? Task.FromResult(state.State.Document);

    public async Task ReEnroll(Enrollment fresh)
    {
        if (Successor is { } successor)
        {
            await successor.ReEnroll(fresh);
            return;
        }

        if (Enrolled(state.State.Enrollment, fresh) != state.State.Enrollment)
        {
            state.State = state.State with { Enrollment = fresh };
            await state.WriteStateAsync();
        }
    }

    /// <summary>The first verified enrolment stays, unless a face model change made it incomparable: then the fresh one replaces it.</summary>
    private static Enrollment? Enrolled(Enrollment? current, Enrollment? fresh) =>
        current is null || (fresh is not null && !string.Equals(current.Live.ModelVersion, fresh.Live.ModelVersion, StringComparison.Ordinal))
            ? fresh ?? current
            : current;

    public Task<ImmutableList<HeldNumber>> GetNumbers() => Successor?.GetNumbers() ?? Task.FromResult(Confirmed());

    public async Task<HolderVerification> VerifyHolder(HolderCheck check, CancellationToken cancellationToken = default)
    {
        if (Successor is { } successor)
        {
            return await successor.VerifyHolder(check, cancellationToken);
        }

        await Adopt(check.FormerKeys);
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
            await audit.AppendAsync(lookup with { Decision = AuditDecisions.Denied, Reasons = [locked.Code] }, CancellationToken.None);
            return new HolderVerification(null, locked, []);
        }

        if (SelfServiceLiveness(check) is { } livenessRefusal)
        {
            await audit.AppendAsync(lookup with { Decision = AuditDecisions.Denied, Reasons = [livenessRefusal.Code] }, CancellationToken.None);
            return new HolderVerification(null, livenessRefusal, []);
        }

        if (state.State.Enrollment is not { } enrollment)
        {
            await audit.AppendAsync(lookup with { Decision = AuditDecisions.Denied, Reasons = [RefusalCodes.NoEnrolledFace] }, CancellationToken.None);
            return new HolderVerification(null, new Refusal(RefusalCodes.NoEnrolledFace, "No verified registration exists under this document."), []);
        }

        if (!string.Equals(enrollment.Live.ModelVersion, faceEngine.ModelVersion, StringComparison.Ordinal))
        {
            // Not a failed proof (no lock): the enrolled face cannot be compared until a verified contact re-enrolls it.
            await audit.AppendAsync(lookup with { Decision = AuditDecisions.Denied, Reasons = [RefusalCodes.ReEnrolmentRequired] }, CancellationToken.None);
            return new HolderVerification(null, new Refusal(RefusalCodes.ReEnrolmentRequired, "The enrolled face is from an earlier face model: a re-review or registration with the document renews it."), []);
        }

        var faces = await FaceChecks.ForHolder(faceEngine, enrollment, check.Live, cancellationToken);
        // The last point where giving up leaves nothing behind: past it the outcome is recorded.
        cancellationToken.ThrowIfCancellationRequested();
        var face = faces.Summaries[0];
        if (faces.Refusal is not null || faces.NeedsReview)
        {
            // A borderline score does not prove the holder: refuse rather than show the numbers.
            var refusal = faces.Refusal ?? new Refusal(RefusalCodes.FaceMismatch, "The live face could not be confirmed as the identity holder's.");
            await audit.AppendAsync(lookup.WithFaces(faces.Summaries) with { Decision = AuditDecisions.Denied, Reasons = [refusal.Code] }, CancellationToken.None);
            state.State = SelfServiceLock.AfterFailure(state.State, now, selfService.Value);
            await state.WriteStateAsync(CancellationToken.None);
            return new HolderVerification(face, refusal, []);
        }

        await audit.AppendAsync(lookup.WithFaces(faces.Summaries) with { Decision = AuditDecisions.Allowed }, CancellationToken.None);
        if (state.State.FailedProofs.Count > 0)
        {
            state.State = state.State with { FailedProofs = [] };
            await state.WriteStateAsync(CancellationToken.None);
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

    private static int CountAt(ImmutableList<HeldNumber> numbers, string carrierId) => numbers.Count(n => n.CarrierId == carrierId);
}
