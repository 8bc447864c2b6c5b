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

/// <summary>The identities that ever had a restriction (key 0): what listing walks.</summary>
[Alias("RealName.Grains.Restrictions.IRestrictionDirectoryGrain")]
public interface IRestrictionDirectoryGrain : IGrainWithIntegerKey
{
    Task Register(string identityKey);

    Task<ImmutableArray<string>> IdentityKeys();
}

/// <summary>
/// Restriction and appeal ids carry their identity key, so a call finds the identity's grain from the id alone:
/// a restriction id is the 64 hex digits of the identity key, ':' and 16 hex digits; an appeal id is its
/// restriction's id, '/' and 12 hex digits.
/// </summary>
public static class RestrictionIds
{
    private const int KeyLength = 64;

    public static string Restriction(string identityKey, Guid unique) => $"{identityKey}:{unique:N}"[..(KeyLength + 17)];

    public static string Appeal(string restrictionId, Guid unique) => $"{restrictionId}/{unique:N}"[..(restrictionId.Length + 13)];

    /// <summary>The identity key of a restriction or appeal id; null when the id has neither form.</summary>
    public static string? IdentityKeyOf(string id, bool appeal)
    {
        var length = KeyLength + 17 + (appeal ? 13 : 0);
        if (id.Length != length || id[KeyLength] != ':' || (appeal && id[KeyLength + 17] != '/'))
        {
            return null;
        }

        return id.Where((c, i) => i != KeyLength && i != KeyLength + 17).All(char.IsAsciiHexDigitLower) ? id[..KeyLength] : null;
    }

    public static string RestrictionOf(string appealId) => appealId[..(KeyLength + 17)];
}
