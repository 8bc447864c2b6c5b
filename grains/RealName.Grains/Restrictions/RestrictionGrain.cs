using System.Globalization;
using RealName.Grains.Subscribers;

namespace RealName.Grains.Restrictions;

/// <summary>Persisted state of <see cref="RestrictionGrain"/> (state name "restriction"; sealed like every grain state).</summary>
[Alias("RealName.Grains.Restrictions.RestrictionState")]
[GenerateSerializer]
public sealed record RestrictionState
{
    [Id(0)] public ImmutableList<Restriction> Restrictions { get; init; } = [];
}

/// <summary>
/// The restrictions of one identity (key: its identity key). Each change appends its audit event first (actor: the
/// operator; caller: the authenticated caller), then writes the state, then answers; a retry with the same request
/// id replays the stored answer (the event id derives from it, so it is never written twice).
/// </summary>
[GrainType("restriction")]
public sealed class RestrictionGrain(
    [PersistentState("restriction", GrainStorage.Name)] IPersistentState<RestrictionState> state,
    TimeProvider clock,
    AuditLog audit) : Grain, IRestrictionGrain
{
    private string IdentityKey => this.GetPrimaryKeyString();

    public async Task<RestrictionOutcome> Restrict(RestrictionOrder order, string actor)
    {
        var restrictionId = RestrictionIds.Restriction(IdentityKey, DeterministicIds.From(DeterministicIds.Restriction, IdentityKey, order.RequestId));
        if (Find(restrictionId) is { } earlier)
        {
            return earlier.Order == order ? Replay(earlier) : Conflict();
        }

        var now = clock.GetUtcNow();
        var restriction = new Restriction(restrictionId, IdentityKey, order, actor, now);
        // The directory first: registrations look there before asking this grain, so it must never lag a restriction.
        await GrainFactory.GetGrain<IRestrictionDirectoryShardGrain>(RestrictionDirectory.ShardOf(IdentityKey)).Register(IdentityKey);
        await audit.AppendAsync(Event(DeterministicIds.From(DeterministicIds.Restriction, IdentityKey, order.RequestId), now, AuditEventTypes.RestrictionAdded, actor, AuditDecisions.Restricted, restriction, null));
        await Store(restriction, isNew: true);
        return new RestrictionOutcome(restriction, null, Replayed: false);
    }

    public async Task<RestrictionOutcome> Lift(string restrictionId, string reason, string requestId, string actor)
    {
        if (Find(restrictionId) is not { } restriction)
        {
            return NotFound(ReasonCode.RestrictionNotFound, "restriction_id");
        }

        if (restriction.Lift is { } lift && lift.RequestId == requestId)
        {
            return lift.Reason == reason ? Replay(restriction) : Conflict();
        }

        var now = clock.GetUtcNow();
        if (restriction.StatusAt(now) is RestrictionStatus.Lifted or RestrictionStatus.Expired)
        {
            return NotActive(restriction, now);
        }

        var lifted = restriction with { Lift = new RestrictionLift(actor, now, reason, requestId) };
        await audit.AppendAsync(Event(DeterministicIds.From(DeterministicIds.RestrictionLifted, restrictionId), now, AuditEventTypes.RestrictionLifted, actor, AuditDecisions.Lifted, lifted, new { reason }));
        await Store(lifted, isNew: false);
        return new RestrictionOutcome(lifted, null, Replayed: false);
    }

    public async Task<RestrictionOutcome> FileAppeal(string restrictionId, AppealFiling filing, string actor)
    {
        if (Find(restrictionId) is not { } restriction)
        {
            return NotFound(ReasonCode.RestrictionNotFound, "restriction_id");
        }

        var appealId = RestrictionIds.Appeal(restrictionId, DeterministicIds.From(DeterministicIds.RestrictionAppeal, restrictionId, filing.RequestId));
        if (restriction.Appeals.FirstOrDefault(a => a.AppealId == appealId) is { } earlier)
        {
            return earlier.Filing == filing ? Replay(restriction) with { AppealId = appealId } : Conflict();
        }

        var now = clock.GetUtcNow();
        if (restriction.StatusAt(now) is RestrictionStatus.Lifted or RestrictionStatus.Expired)
        {
            return NotActive(restriction, now);
        }

        if (restriction.HasOpenAppeal)
        {
            return Refused(ReasonCode.AppealAlreadyOpen, "restriction_id", "The restriction already has an undecided appeal.");
        }

        var appeal = new RestrictionAppeal(appealId, filing, actor, now);
        var filed = restriction with { Appeals = restriction.Appeals.Add(appeal) };
        // The statement is the person's own words: it stays in the sealed state; the log records where it came from.
        await audit.AppendAsync(Event(DeterministicIds.From(DeterministicIds.RestrictionAppeal, restrictionId, filing.RequestId), now, AuditEventTypes.RestrictionAppealFiled, actor, AuditDecisions.Filed, filed,
            new { appeal_id = appealId, received_via = filing.ReceivedVia, statement_length = filing.Statement.Length }));
        await Store(filed, isNew: false);
        return new RestrictionOutcome(filed, null, Replayed: false) { AppealId = appealId };
    }

    public async Task<RestrictionOutcome> DecideAppeal(string appealId, bool lift, string reason, string requestId, string actor)
    {
        if (Find(RestrictionIds.RestrictionOf(appealId)) is not { } restriction
            || restriction.Appeals.FirstOrDefault(a => a.AppealId == appealId) is not { } appeal)
        {
            return NotFound(ReasonCode.AppealNotFound, "appeal_id");
        }

        if (appeal.Decision is { } decided)
        {
            return decided.RequestId != requestId
                ? Refused(ReasonCode.AppealAlreadyDecided, "appeal_id", "The appeal was already decided.")
                : decided.Lift == lift && decided.Reason == reason ? Replay(restriction) : Conflict();
        }

        if (appeal.FiledBy == actor)
        {
            // Four eyes: the operator who entered the person's appeal does not also decide it.
            return Refused(ReasonCode.SelfReviewForbidden, "appeal_id", "The operator who filed the appeal may not decide it.");
        }

        var now = clock.GetUtcNow();
        var decision = new AppealDecision(lift, actor, now, reason, requestId);
        var still = restriction.StatusAt(now) is RestrictionStatus.Active or RestrictionStatus.Scheduled;
        var decidedRestriction = restriction with
        {
            Appeals = restriction.Appeals.Replace(appeal, appeal with { Decision = decision }),
            Lift = lift && still ? new RestrictionLift(actor, now, reason, requestId) : restriction.Lift,
        };
        await audit.AppendAsync(Event(DeterministicIds.From(DeterministicIds.RestrictionAppealDecided, appealId), now, AuditEventTypes.RestrictionAppealDecided, actor,
            lift ? AuditDecisions.Lifted : AuditDecisions.Upheld, decidedRestriction, new { appeal_id = appealId, reason }));
        if (lift && still)
        {
            await audit.AppendAsync(Event(DeterministicIds.From(DeterministicIds.RestrictionLifted, restriction.RestrictionId), now, AuditEventTypes.RestrictionLifted, actor, AuditDecisions.Lifted, decidedRestriction,
                new { reason, appeal_id = appealId }));
        }

        await Store(decidedRestriction, isNew: false);
        return new RestrictionOutcome(decidedRestriction, null, Replayed: false);
    }

    public Task<Restriction?> ActiveRestriction()
    {
        var now = clock.GetUtcNow();
        return Task.FromResult(state.State.Restrictions.Where(r => r.StatusAt(now) == RestrictionStatus.Active).MaxBy(r => r.Order.EndsAt));
    }

    public Task<ImmutableList<Restriction>> List() => Task.FromResult(state.State.Restrictions);

    private Restriction? Find(string restrictionId) => state.State.Restrictions.FirstOrDefault(r => r.RestrictionId == restrictionId);

    private async Task Store(Restriction restriction, bool isNew)
    {
        var restrictions = isNew
            ? state.State.Restrictions.Add(restriction)
            : state.State.Restrictions.Replace(Find(restriction.RestrictionId)!, restriction);
        state.State = state.State with { Restrictions = restrictions };
        await state.WriteStateAsync();
    }

    private AuditEvent Event(Guid id, DateTimeOffset now, string type, string actor, string decision, Restriction restriction, object? extra) => new()
    {
        EventId = id,
        OccurredAt = now,
        EventType = type,
        IdentityKey = IdentityKey,
        Decision = decision,
        Reasons = [ReasonCodes.Wire(ReasonCode.IdentityRestricted)],
        Actor = actor,
        Caller = CallerContext.Current,
        Details = SubscriberAudit.Details(new
        {
            restriction_id = restriction.RestrictionId,
            document_kind = restriction.Order.DocumentKind.ToString(),
            restriction_reason = restriction.Order.Reason,
            authority_reference = restriction.Order.AuthorityReference,
            starts_at = restriction.StartsAt,
            ends_at = restriction.Order.EndsAt,
            request = extra,
        }),
    };

    private static RestrictionOutcome Replay(Restriction restriction) => new(restriction, null, Replayed: true);

    private static RestrictionOutcome Conflict() => throw new RequestConflictException("A retry whose content differs from the request recorded under its request id.");

    private static RestrictionOutcome NotFound(ReasonCode code, string field) =>
        new(null, Refusal.From(new RuleViolation(code, field, "No such restriction or appeal.")), Replayed: false);

    private static RestrictionOutcome Refused(ReasonCode code, string field, string message) =>
        new(null, Refusal.From(new RuleViolation(code, field, message)), Replayed: false);

    private static RestrictionOutcome NotActive(Restriction restriction, DateTimeOffset now) => Refused(
        ReasonCode.RestrictionNotActive,
        "restriction_id",
        string.Create(CultureInfo.InvariantCulture, $"The restriction is {restriction.StatusAt(now).ToString().ToUpperInvariant()}."));
}

/// <summary>Persisted state of <see cref="RestrictionDirectoryGrain"/> (state name "restriction-directory").</summary>
[Alias("RealName.Grains.Restrictions.RestrictionDirectoryState")]
[GenerateSerializer]
public sealed record RestrictionDirectoryState
{
    [Id(0)] public ImmutableSortedSet<string> IdentityKeys { get; init; } = [];
}

/// <summary>
/// The single directory of versions before schema 0105. Its stored keys are read by the shards; a registration sent
/// here by a silo of an earlier version goes on to the identity's shard, so it bars at once.
/// </summary>
[GrainType("restrictiondirectory")]
public sealed class RestrictionDirectoryGrain(
    [PersistentState("restriction-directory", GrainStorage.Name)] IPersistentState<RestrictionDirectoryState> state) : Grain, IRestrictionDirectoryGrain
{
    public Task Register(string identityKey) =>
        GrainFactory.GetGrain<IRestrictionDirectoryShardGrain>(RestrictionDirectory.ShardOf(identityKey)).Register(identityKey);

    public Task<ImmutableArray<string>> IdentityKeys() => Task.FromResult(state.State.IdentityKeys.ToImmutableArray());
}
