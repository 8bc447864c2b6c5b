namespace RealName.Grains.Subscribers;

/// <summary>What the face engine said about one comparison, as kept in records and audit events.</summary>
[Alias("RealName.Grains.Subscribers.FaceSummary")]
[GenerateSerializer, Immutable]
public sealed record FaceSummary(
    [property: Id(0)] string Person,
    [property: Id(1)] string Decision,
    [property: Id(2)] double? Score,
    [property: Id(3)] string ModelVersion,
    [property: Id(4)] IReadOnlyList<string> Reasons);
