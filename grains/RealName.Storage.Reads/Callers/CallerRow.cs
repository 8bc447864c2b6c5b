namespace RealName.Storage.Reads;

/// <summary>One row of <c>callers</c> with its certificate thumbprints; never the key, only its hash.</summary>
public sealed record CallerRow(
    string Name,
    string Role,
    IReadOnlyList<string> CarrierIds,
    IReadOnlyList<string> OutletIds,
    string? ChannelKind,
    IReadOnlyList<string> DeviceIds,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset? RevokedAt,
    string? RevokedBy,
    IReadOnlyList<string> CertificateThumbprints)
{
    public bool Revoked => RevokedAt is not null;
}
