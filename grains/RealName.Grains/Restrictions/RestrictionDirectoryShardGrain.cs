using RealName.Storage;

namespace RealName.Grains.Restrictions;

/// <summary>
/// One shard of the identities that ever had a restriction. The identities are rows (<see cref="RestrictedIdentityStore"/>,
/// one insert the first time an identity is restricted); the shard holds its own in memory, read when it activates
/// together with those of its shard that the single directory of earlier versions stored. It keeps no grain state.
/// </summary>
[GrainType("restrictiondirectoryshard")]
public sealed class RestrictionDirectoryShardGrain(RestrictedIdentityStore rows) : Grain, IRestrictionDirectoryShardGrain
{
    private readonly HashSet<string> restricted = new(StringComparer.Ordinal);

    private int Shard => (int)this.GetPrimaryKeyLong();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var earlier = (await GrainFactory.GetGrain<IRestrictionDirectoryGrain>(0).IdentityKeys())
            .Where(key => RestrictionDirectory.ShardOf(key) == Shard)
            .ToList();
        if (earlier.Count > 0)
        {
            // Copied on every activation: an insert of a key already there changes nothing.
            await rows.AddAsync(Shard, earlier, cancellationToken);
        }

        restricted.UnionWith(await rows.ListAsync(Shard, cancellationToken));
    }

    public async Task Register(string identityKey)
    {
        if (RestrictionDirectory.ShardOf(identityKey) != Shard)
        {
            throw new ArgumentException($"The identity belongs to directory shard {RestrictionDirectory.ShardOf(identityKey)}, not {Shard}.", nameof(identityKey));
        }

        if (!restricted.Contains(identityKey))
        {
            // The row first: the identity is barred in memory only once it is barred in the database.
            await rows.AddAsync(Shard, [identityKey]);
            restricted.Add(identityKey);
        }
    }

    public Task<ImmutableArray<string>> IdentityKeys() => Task.FromResult(restricted.Order(StringComparer.Ordinal).ToImmutableArray());

    public Task<ImmutableArray<string>> EverRestricted(ImmutableArray<string> identityKeys) =>
        Task.FromResult(identityKeys.Where(restricted.Contains).ToImmutableArray());
}
