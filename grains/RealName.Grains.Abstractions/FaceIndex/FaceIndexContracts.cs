namespace RealName.Grains.FaceIndex;

/// <summary>
/// Whose face a template is: the number it was enrolled with, the identity (keyed hash and masked forms, never
/// the document number) and where it was enrolled (carrier, outlet, clerk).
/// </summary>
[Alias("RealName.Grains.FaceIndex.FaceOwner")]
[GenerateSerializer, Immutable]
public sealed record FaceOwner(
    [property: Id(0)] string PhoneNumber,
    [property: Id(1)] string IdentityKey,
    [property: Id(2)] string MaskedDocumentNumber,
    [property: Id(3)] string MaskedName,
    [property: Id(4)] string CarrierId,
    [property: Id(5)] string OutletId,
    [property: Id(6)] string ClerkId,
    [property: Id(7)] DateTimeOffset RegisteredAt);

/// <summary>The live template of one admitted registration, as the 1:N index holds it.</summary>
[Alias("RealName.Grains.FaceIndex.IndexedFace")]
[GenerateSerializer, Immutable]
public sealed record IndexedFace(
    [property: Id(0)] string TemplateId,
    [property: Id(1)] float[] Embedding,
    [property: Id(2)] string ModelVersion,
    [property: Id(3)] FaceOwner Owner);

/// <summary>A 1:N search hit: an enrolled face scoring at or above the calibrated search threshold.</summary>
[Alias("RealName.Grains.FaceIndex.FaceLink")]
[GenerateSerializer, Immutable]
public sealed record FaceLink(
    [property: Id(0)] string TemplateId,
    [property: Id(1)] FaceOwner Owner,
    [property: Id(2)] double Score);

/// <summary>What one shard holds (for the risk view and the tests).</summary>
[Alias("RealName.Grains.FaceIndex.FaceShardStats")]
[GenerateSerializer, Immutable]
public sealed record FaceShardStats(
    [property: Id(0)] int Templates,
    [property: Id(1)] long MatrixBytes);
