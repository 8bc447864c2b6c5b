namespace RealName.Grains.DueWork;

/// <summary>
/// One sweeper of the subscribers' due work (key: partition, 0 .. DueWorkStore.Partitions - 1). It keeps one
/// Orleans reminder, so it comes back after a silo failure, and sweeps its partition on a timer.
/// </summary>
[Alias("RealName.Grains.DueWork.IDueWorkSweeperGrain")]
public interface IDueWorkSweeperGrain : IGrainWithIntegerKey
{
    /// <summary>Registers its reminder and starts sweeping (idempotent: every silo calls it when it starts).</summary>
    Task Start();
}
