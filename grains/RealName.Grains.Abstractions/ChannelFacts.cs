using RealName.Rules;

namespace RealName.Grains;

/// <summary>
/// Who made a request: recorded with every decision so any number traces back to the outlet, clerk and
/// device that opened it (责任倒查).
/// </summary>
[Alias("RealName.Grains.ChannelFacts")]
[GenerateSerializer, Immutable]
public sealed record ChannelFacts(
    [property: Id(0)] ChannelKind Kind,
    [property: Id(1)] string CarrierId,
    [property: Id(2)] string Region,
    [property: Id(3)] string OutletId,
    [property: Id(4)] string ClerkId,
    [property: Id(5)] string DeviceId);
