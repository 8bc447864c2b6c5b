namespace RealName.Grains.Campaigns;

/// <summary>What a re-review campaign targets and who started it.</summary>
[Alias("RealName.Grains.Campaigns.CampaignDefinition")]
[GenerateSerializer, Immutable]
public sealed record CampaignDefinition(
    [property: Id(0)] string? OutletId,
    [property: Id(1)] string? ClerkId,
    [property: Id(2)] DateTimeOffset From,
    [property: Id(3)] DateTimeOffset To,
    [property: Id(4)] string Actor);

/// <summary>A campaign's counts. <see cref="Processed"/> = started + already running + not active + failed.</summary>
[Alias("RealName.Grains.Campaigns.CampaignProgress")]
[GenerateSerializer, Immutable]
public sealed record CampaignProgress(
    [property: Id(0)] string CampaignId,
    [property: Id(1)] CampaignDefinition Definition,
    [property: Id(2)] int Targets,
    [property: Id(3)] int Processed,
    [property: Id(4)] int Started,
    [property: Id(5)] int AlreadyRunning,
    [property: Id(6)] int NotActive,
    [property: Id(7)] int Failed,
    [property: Id(8)] DateTimeOffset CreatedAt,
    [property: Id(9)] DateTimeOffset? CompletedAt)
{
    public bool Completed => CompletedAt is not null;
}

/// <summary>
/// One re-review campaign (grain key: the campaign id). It selects its own targets from the audit log's
/// read side when it starts, owns that list and works through it in small batches on a grain timer,
/// persisting the cursor after each batch; a reminder resumes it after a silo restart. The re-reviews it
/// triggers record the caller who started it.
/// </summary>
[Alias("RealName.Grains.Campaigns.ICampaignGrain")]
public interface ICampaignGrain : IGrainWithStringKey
{
    /// <summary>
    /// Selects the numbers the definition covers (approved registrations at the outlet/clerk in the period
    /// whose holder has not changed since) and starts; a second call returns the existing campaign unchanged.
    /// </summary>
    Task<CampaignProgress> Start(CampaignDefinition definition);

    /// <summary>The campaign's progress, or null when it was never started.</summary>
    Task<CampaignProgress?> GetProgress();
}
