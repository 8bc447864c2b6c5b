using RealName.Grains.Subscribers;

namespace RealName.Grains.Restrictions;

/// <summary>The restriction a registration's customer is under, by any of the person's keys (current and former HMAC key versions).</summary>
internal static class RestrictionChecks
{
    public static async Task<Restriction?> ActiveFor(IGrainFactory grains, PersonEvidence person)
    {
        var keys = person.FormerIdentityKeys.Insert(0, person.Identity.IdentityKey).ToImmutableArray();
        var restricted = await RestrictionDirectory.EverRestricted(grains, keys);
        foreach (var key in restricted)
        {
            if (await grains.GetGrain<IRestrictionGrain>(key).ActiveRestriction() is { } active)
            {
                return active;
            }
        }

        return null;
    }
}
