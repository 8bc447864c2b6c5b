using RealName.Grains.Subscribers;

namespace RealName.Grains.Enterprises;

/// <summary>Persisted state of <see cref="EnterpriseGrain"/> (state name "enterprise").</summary>
[Alias("RealName.Grains.Enterprises.EnterpriseState")]
[GenerateSerializer]
public sealed record EnterpriseState
{
    [Id(0)] public IotApproval? IotApproval { get; init; }

    [Id(1)] public ImmutableHashSet<string> IotCards { get; init; } = [];
}

/// <summary>An enterprise: IoT cards are issued only after approval and within its quota (domain rule 7).</summary>
[GrainType("enterprise")]
public sealed class EnterpriseGrain(
    [PersistentState("enterprise", GrainStorage.Name)] IPersistentState<EnterpriseState> state) : Grain, IEnterpriseGrain
{
    public async Task ApproveIot(IotApproval approval)
    {
        state.State = state.State with { IotApproval = approval };
        await state.WriteStateAsync();
    }

    public Task<IotApproval?> GetIotApproval() => Task.FromResult(state.State.IotApproval);

    public async Task<Refusal?> ReserveIotCard(string phoneNumber)
    {
        if (state.State.IotApproval is not null && state.State.IotCards.Contains(phoneNumber))
        {
            return null;
        }

        if (CardRules.CheckIotIssue(state.State.IotApproval?.Quota, state.State.IotCards.Count) is { } refused)
        {
            return Refusal.From(refused);
        }

        state.State = state.State with { IotCards = state.State.IotCards.Add(phoneNumber) };
        await state.WriteStateAsync();
        return null;
    }

    public async Task ReleaseCard(string phoneNumber)
    {
        if (state.State.IotCards.Contains(phoneNumber))
        {
            state.State = state.State with { IotCards = state.State.IotCards.Remove(phoneNumber) };
            await state.WriteStateAsync();
        }
    }

    public Task<int> IotCardsHeld() => Task.FromResult(state.State.IotCards.Count);
}
