
namespace RealName.Grains.Campaigns;

/// <summary>Durable state of a campaign: its targets, how far it got and what happened so far.</summary>
[Alias("RealName.Grains.Campaigns.CampaignState")]
[GenerateSerializer]
public sealed record CampaignState
{
    [Id(0)] public CampaignDefinition? Definition { get; init; }

    /// <summary>
    /// Targets stored in the state before schema 0106 kept them as rows (<see cref="Storage.CampaignTargetStore"/>): moved
    /// to the table, and emptied here, when the grain activates. Nothing new is written here.
    /// </summary>
    [Id(1)] public ImmutableArray<string> Targets { get; init; } = [];

    /// <summary>Index of the next target to process.</summary>
    [Id(2)] public int Cursor { get; init; }

    [Id(3)] public int Started { get; init; }

    [Id(4)] public int AlreadyRunning { get; init; }

    [Id(5)] public int NotActive { get; init; }

    [Id(6)] public int Failed { get; init; }

    [Id(7)] public DateTimeOffset CreatedAt { get; init; }

    [Id(8)] public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>Numbers whose trigger failed (kept for the operator; at most the first 1,000).</summary>
    [Id(9)] public ImmutableList<string> FailedNumbers { get; init; } = [];

    /// <summary>The authenticated caller who started the campaign; the re-reviews it triggers from its timer record them.</summary>
    [Id(10)] public string StartedBy { get; init; } = CallerContext.System;

    /// <summary>How many numbers the campaign works through (its rows in <c>campaign_targets</c>, by position).</summary>
    [Id(11)] public int TargetCount { get; init; }
}
