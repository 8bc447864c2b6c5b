using System.Collections.Immutable;
using RealName.Grains.Subscribers;
using RealName.Rules;

namespace RealName.Grains.Restrictions;

/// <summary>
/// A restriction order: the identity's document kind and masked number, why, on whose authority, and when (no start:
/// from when it was recorded, so a retry of the same order is the same order).
/// </summary>
[Alias("RealName.Grains.Restrictions.RestrictionOrder")]
[GenerateSerializer, Immutable]
public sealed record RestrictionOrder(
    [property: Id(0)] string RequestId,
    [property: Id(1)] DocumentKind DocumentKind,
    [property: Id(2)] string MaskedDocumentNumber,
    [property: Id(3)] string Reason,
    [property: Id(4)] string AuthorityReference,
    [property: Id(5)] DateTimeOffset? StartsAt,
    [property: Id(6)] DateTimeOffset EndsAt);

/// <summary>Who lifted a restriction, when, why, and by which request.</summary>
[Alias("RealName.Grains.Restrictions.RestrictionLift")]
[GenerateSerializer, Immutable]
public sealed record RestrictionLift(
    [property: Id(0)] string By,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] string Reason,
    [property: Id(3)] string RequestId);

/// <summary>An appeal as received (the statement is the person's own words; it stays in the sealed grain state).</summary>
[Alias("RealName.Grains.Restrictions.AppealFiling")]
[GenerateSerializer, Immutable]
public sealed record AppealFiling(
    [property: Id(0)] string RequestId,
    [property: Id(1)] string Statement,
    [property: Id(2)] string ReceivedVia);

/// <summary>A decision on an appeal: lift the restriction or uphold it.</summary>
[Alias("RealName.Grains.Restrictions.AppealDecision")]
[GenerateSerializer, Immutable]
public sealed record AppealDecision(
    [property: Id(0)] bool Lift,
    [property: Id(1)] string By,
    [property: Id(2)] DateTimeOffset At,
    [property: Id(3)] string Reason,
    [property: Id(4)] string RequestId);

/// <summary>An appeal against a restriction, with its decision once made.</summary>
[Alias("RealName.Grains.Restrictions.RestrictionAppeal")]
[GenerateSerializer, Immutable]
public sealed record RestrictionAppeal(
    [property: Id(0)] string AppealId,
    [property: Id(1)] AppealFiling Filing,
    [property: Id(2)] string FiledBy,
    [property: Id(3)] DateTimeOffset FiledAt)
{
    [Id(4)] public AppealDecision? Decision { get; init; }
}

/// <summary>A restriction of one identity (the grain's key), with its lifting and appeals.</summary>
[Alias("RealName.Grains.Restrictions.Restriction")]
[GenerateSerializer, Immutable]
public sealed record Restriction(
    [property: Id(0)] string RestrictionId,
    [property: Id(1)] string IdentityKey,
    [property: Id(2)] RestrictionOrder Order,
    [property: Id(3)] string RestrictedBy,
    [property: Id(4)] DateTimeOffset RestrictedAt)
{
    [Id(5)] public RestrictionLift? Lift { get; init; }

    [Id(6)] public ImmutableList<RestrictionAppeal> Appeals { get; init; } = [];

    /// <summary>When it holds from: the order's start, or when it was recorded.</summary>
    public DateTimeOffset StartsAt => Order.StartsAt ?? RestrictedAt;

    public RestrictionStatus StatusAt(DateTimeOffset now) => RestrictionRules.StatusAt(StartsAt, Order.EndsAt, Lift?.At, now);

    public bool HasOpenAppeal => Appeals.Any(a => a.Decision is null);
}

/// <summary>The answer to a change: the restriction as stored, or the rule that refused the change.</summary>
[Alias("RealName.Grains.Restrictions.RestrictionOutcome")]
[GenerateSerializer, Immutable]
public sealed record RestrictionOutcome(
    [property: Id(0)] Restriction? Restriction,
    [property: Id(1)] Refusal? Refusal,
    [property: Id(2)] bool Replayed)
{
    /// <summary>The appeal a filing made.</summary>
    [Id(3)] public string? AppealId { get; init; }
}

/// <summary>
/// The restrictions of one identity (grain key: the identity key). The authority a registration asks
/// (<see cref="ActiveRestriction"/>); every change appends its audit event, carrying the acting operator and the
/// authenticated caller, before it is stored and acknowledged. Idempotent per request id.
/// </summary>
[Alias("RealName.Grains.Restrictions.IRestrictionGrain")]
public interface IRestrictionGrain : IGrainWithStringKey
{
    Task<RestrictionOutcome> Restrict(RestrictionOrder order, string actor);

    Task<RestrictionOutcome> Lift(string restrictionId, string reason, string requestId, string actor);

    Task<RestrictionOutcome> FileAppeal(string restrictionId, AppealFiling filing, string actor);

    Task<RestrictionOutcome> DecideAppeal(string appealId, bool lift, string reason, string requestId, string actor);

    /// <summary>The restriction in force at the grid's clock, if any.</summary>
    Task<Restriction?> ActiveRestriction();

    Task<ImmutableList<Restriction>> List();
}

/// <summary>
/// The single directory of identities that ever had a restriction, of versions before schema 0105 (key 0). Nothing
/// new is registered here: the directory shards (<see cref="IRestrictionDirectoryShardGrain"/>) read its keys of
/// their shard when they activate, so an identity restricted under an earlier version stays barred.
/// </summary>
[Alias("RealName.Grains.Restrictions.IRestrictionDirectoryGrain")]
public interface IRestrictionDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>The write path of earlier versions (a silo of one during a rolling upgrade); today's code never calls it.</summary>
    Task Register(string identityKey);

    /// <summary>Interleaved: a shard activating may ask while the directory waits on something else.</summary>
    [Orleans.Concurrency.AlwaysInterleave]
    Task<ImmutableArray<string>> IdentityKeys();
}

/// <summary>
/// One shard of the identities that ever had a restriction (key: <see cref="RestrictionDirectory.ShardOf"/>): what a
/// registration asks first, so the great majority of identities, never restricted, cost one in-memory look-up
/// rather than a grain activation each; what listing walks. Each identity is one row (schema 0105).
/// </summary>
[Alias("RealName.Grains.Restrictions.IRestrictionDirectoryShardGrain")]
public interface IRestrictionDirectoryShardGrain : IGrainWithIntegerKey
{
    Task Register(string identityKey);

    [Orleans.Concurrency.ReadOnly]
    Task<ImmutableArray<string>> IdentityKeys();

    /// <summary>Those of <paramref name="identityKeys"/> (all of this shard) that ever had a restriction.</summary>
    [Orleans.Concurrency.ReadOnly]
    Task<ImmutableArray<string>> EverRestricted(ImmutableArray<string> identityKeys);
}

/// <summary>How the identities that ever had a restriction are spread over directory shards.</summary>
public static class RestrictionDirectory
{
    /// <summary>
    /// Fixed: a shard's rows carry its number, so changing it would need the rows re-sharded. 64 spreads a carrier's
    /// restricted identities and its registrations' look-ups over the silos of a large cluster.
    /// </summary>
    public const int Shards = 64;

    /// <summary>A stable hash (FNV-1a over the key's characters), the same on every silo and in every version.</summary>
    public static int ShardOf(string identityKey)
    {
        var hash = 2166136261u;
        foreach (var c in identityKey)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash % Shards);
    }

    /// <summary>Those of <paramref name="identityKeys"/> that ever had a restriction, asking only the shards they fall in.</summary>
    public static async Task<ImmutableArray<string>> EverRestricted(IGrainFactory grains, IReadOnlyCollection<string> identityKeys)
    {
        var answers = await Task.WhenAll(identityKeys.GroupBy(ShardOf).Select(shard =>
            grains.GetGrain<IRestrictionDirectoryShardGrain>(shard.Key).EverRestricted([.. shard])));
        return [.. answers.SelectMany(a => a)];
    }

    /// <summary>Every identity that ever had a restriction (for listings).</summary>
    public static async Task<ImmutableArray<string>> AllIdentityKeys(IGrainFactory grains)
    {
        var shards = await Task.WhenAll(Enumerable.Range(0, Shards).Select(shard => grains.GetGrain<IRestrictionDirectoryShardGrain>(shard).IdentityKeys()));
        return [.. shards.SelectMany(keys => keys).Order(StringComparer.Ordinal)];
    }
}

/// <summary>
/// Restriction and appeal ids carry their identity key, so a call finds the identity's grain from the id alone:
/// a restriction id is the identity key (64 hex digits, after a <c>v{version}.</c> prefix for HMAC key versions
/// above 1), ':' and 16 hex digits; an appeal id is its restriction's id, '/' and 12 hex digits.
/// </summary>
public static partial class RestrictionIds
{
    public static string Restriction(string identityKey, Guid unique) => $"{identityKey}:{unique.ToString("N")[..16]}";

    public static string Appeal(string restrictionId, Guid unique) => $"{restrictionId}/{unique.ToString("N")[..12]}";

    /// <summary>The identity key of a restriction or appeal id; null when the id has neither form.</summary>
    public static string? IdentityKeyOf(string id, bool appeal)
    {
        var match = (appeal ? AppealPattern() : RestrictionPattern()).Match(id);
        return match.Success ? match.Groups["key"].Value : null;
    }

    /// <summary>The restriction id inside an appeal id (everything before its last '/').</summary>
    public static string RestrictionOf(string appealId) => appealId[..appealId.LastIndexOf('/')];

    [System.Text.RegularExpressions.GeneratedRegex(@"\A(?<key>(v[0-9]{1,4}\.)?[0-9a-f]{64}):[0-9a-f]{16}\z")]
    private static partial System.Text.RegularExpressions.Regex RestrictionPattern();

    [System.Text.RegularExpressions.GeneratedRegex(@"\A(?<key>(v[0-9]{1,4}\.)?[0-9a-f]{64}):[0-9a-f]{16}/[0-9a-f]{12}\z")]
    private static partial System.Text.RegularExpressions.Regex AppealPattern();
}
