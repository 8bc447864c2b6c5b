using Google.Protobuf.WellKnownTypes;
using RealName.Contracts.V1;
using RealName.Rules;
using RealName.Storage.Reads;
using GrainFaceLink = RealName.Grains.FaceIndex.FaceLink;

namespace RealName.Gateway.Services;

/// <summary>
/// Face links and clusters on the wire. They cross carriers (that is the point of a 1:N search), so a caller scoped
/// to some carriers sees the other carriers' numbers masked; identity keys, masked documents, outlets and clerks stay.
/// </summary>
internal static class FaceClusterMapping
{
    public static FaceLink ToContract(this GrainFaceLink link, CallerRights rights) => new()
    {
        PhoneNumber = Visible(link.Owner.PhoneNumber, link.Owner.CarrierId, rights),
        IdentityKey = link.Owner.IdentityKey,
        MaskedDocumentNumber = link.Owner.MaskedDocumentNumber,
        MaskedName = link.Owner.MaskedName,
        CarrierId = link.Owner.CarrierId,
        OutletId = link.Owner.OutletId,
        ClerkId = link.Owner.ClerkId,
        Score = link.Score,
    };

    public static FaceCluster ToContract(this FaceClusterData cluster, CallerRights rights)
    {
        var contract = new FaceCluster
        {
            Identities = cluster.Identities,
            MaxScore = cluster.MaxScore,
            LastLinkedAt = Timestamp.FromDateTimeOffset(cluster.LastLinkedAt),
        };
        contract.Members.AddRange(cluster.Members.Select(m => new FaceClusterMember
        {
            PhoneNumber = Visible(m.PhoneNumber, m.CarrierId, rights),
            IdentityKey = m.IdentityKey,
            MaskedDocumentNumber = m.MaskedDocumentNumber ?? "",
            CarrierId = m.CarrierId ?? "",
            OutletId = m.OutletId ?? "",
            ClerkId = m.ClerkId ?? "",
        }));
        contract.Outlets.Add(Counts(cluster.Members.Select(m => m.OutletId)));
        contract.Clerks.Add(Counts(cluster.Members.Select(m => m.ClerkId)));
        return contract;
    }

    /// <summary>Whether a carrier-scoped caller may see this cluster: at least one of its numbers is the caller's.</summary>
    public static bool Concerns(this FaceClusterData cluster, CallerRights rights) =>
        cluster.Members.Any(m => m.CarrierId is { } carrier && rights.ActsFor(carrier));

    private static Dictionary<string, int> Counts(IEnumerable<string?> values) =>
        values.Where(v => !string.IsNullOrEmpty(v)).GroupBy(v => v!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    private static string Visible(string phoneNumber, string? carrierId, CallerRights rights) =>
        carrierId is { } carrier && rights.ActsFor(carrier) ? phoneNumber : PersonalDataMasks.Number(phoneNumber);
}
