using RealName.Grains.Subscribers;

namespace RealName.Grains.Enterprises;

/// <summary>Persisted state of <see cref="EnterpriseGrain"/> (state name "enterprise").</summary>
[Alias("RealName.Grains.Enterprises.EnterpriseState")]
[GenerateSerializer]
public sealed record EnterpriseState
{
    [Id(0)] public IotApproval? IotApproval { get; init; }

    /// <summary>
    /// Cards stored in the state before schema 0100 kept them as rows (<see cref="EnterpriseCardStore"/>): moved to the
    /// table, and emptied here, when the grain activates. Nothing new is written here.
    /// </summary>
    [Id(1)] public ImmutableHashSet<string> IotCards { get; init; } = [];
}

/// <summary>
/// An enterprise: IoT cards are issued only after approval and within its quota (domain rule 7). The cards it holds
/// are rows of their own, one insert per card taken; the state keeps only the approval, so its size and the cost of a
/// registration do not grow with the number of cards.
/// </summary>
[GrainType("enterprise")]
public sealed class EnterpriseGrain(
    [PersistentState("enterprise", GrainStorage.Name)] IPersistentState<EnterpriseState> state,
    EnterpriseCardStore cards,
    AuditLog audit) : Grain, IEnterpriseGrain
{
    private int held;

    private string CreditCode => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.IotCards.Count > 0)
        {
            // Rows first, then the emptied state: a crash in between repeats an insert that changes nothing.
            await cards.AddAsync(CreditCode, state.State.IotCards, cancellationToken);
            state.State = state.State with { IotCards = [] };
            await state.WriteStateAsync(cancellationToken);
        }

        held = await cards.CountAsync(CreditCode, cancellationToken);
    }

    /// <summary>Records the approval in the audit log (the decision and who took it), then keeps it.</summary>
    public async Task ApproveIot(IotApproval approval)
    {
        ArgumentNullException.ThrowIfNull(approval);
        await audit.AppendAsync(new AuditEvent
        {
            EventId = DeterministicIds.From(DeterministicIds.IotQuotaApproved, CreditCode, approval.ApprovedAt.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            OccurredAt = approval.ApprovedAt,
            EventType = AuditEventTypes.IotQuotaApproved,
            CardType = WireCodes.Of(CardType.Iot),
            Decision = AuditDecisions.Approved,
            Actor = approval.ApprovedBy,
            Caller = CallerContext.Current,
            Details = SubscriberAudit.Details(new
            {
                credit_code = CreditCode,
                quota = approval.Quota,
                previous_quota = state.State.IotApproval?.Quota,
                cards_held = held,
                assessment_reference = approval.AssessmentReference,
            }),
        });
        state.State = state.State with { IotApproval = approval };
        await state.WriteStateAsync();
    }

    public Task<IotApproval?> GetIotApproval() => Task.FromResult(state.State.IotApproval);

    public async Task<Refusal?> ReserveIotCard(string phoneNumber)
    {
        if (CardRules.CheckIotIssue(state.State.IotApproval?.Quota, held) is { } refused)
        {
            // At the quota, a card that already holds its place (a registration retried after a crash) keeps it.
            return state.State.IotApproval is not null && await cards.HoldsAsync(CreditCode, phoneNumber) ? null : Refusal.From(refused);
        }

        held += await cards.AddAsync(CreditCode, [phoneNumber]);
        return null;
    }

    public async Task ReleaseCard(string phoneNumber)
    {
        if (await cards.RemoveAsync(CreditCode, phoneNumber))
        {
            held--;
        }
    }

    public Task<int> IotCardsHeld() => Task.FromResult(held);
}
