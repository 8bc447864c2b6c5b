using Orleans.Placement;
using Orleans.Runtime.Placement;

namespace RealName.Grains.Placement;

/// <summary>
/// Places a grain keyed by an audit subject (a phone number, an identity key) on the silo that owns the subject's
/// audit chain partition: the partition's number modulo the cluster's silos, in address order. Every silo computes
/// the same owner, so the events of one partition are appended by one silo, which then always finds the partition's
/// head where it left it (one statement per append, <c>AuditLog.KnownHeads.cs</c>). When silos join or leave, new
/// activations follow the new owners and running ones stay where they are; for a while two silos may then append to
/// one partition, which costs a head read or a locked append, never a fork.
/// </summary>
[Alias("RealName.Grains.Placement.AuditPartitionPlacement")]
[GenerateSerializer, Immutable]
public sealed class AuditPartitionPlacement : PlacementStrategy
{
    public static AuditPartitionPlacement Instance { get; } = new();
}

/// <summary>Marks a grain class whose string key is an audit subject (see <see cref="AuditPartitionPlacement"/>).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class AuditPartitionPlacementAttribute() : PlacementAttribute(AuditPartitionPlacement.Instance);

/// <summary>Chooses the owner of the grain key's audit partition among the silos that can host the grain.</summary>
internal sealed class AuditPartitionPlacementDirector(AuditLog audit) : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context) =>
        Task.FromResult(OwnerOf(audit.PartitionOf(target.GrainIdentity.Key.ToString()), context.GetCompatibleSilos(target)));

    /// <summary>The silo that owns a partition: the partition's number modulo the silos, taken in address order.</summary>
    internal static SiloAddress OwnerOf(int partition, IReadOnlyCollection<SiloAddress> silos) =>
        silos.Order().ElementAt(partition % silos.Count);
}
