namespace RealName.Storage.Reads;

/// <summary>
/// One row of the append-only audit log: who (the authenticated caller; the channel, outlet, clerk and
/// device the request claimed; the actor), what (type, decision, face score and model, reasons, status
/// after) and when. Identity appears only as its key.
/// </summary>
/// <remarks>
/// Personal fields (<see cref="PhoneNumber"/>, <see cref="IdentityKey"/>, <see cref="PersonalDetails"/>) are
/// purged at the end of retention. From hash version 3 the chain covers only their salted digest
/// (<see cref="PersonalDigest"/>), so a purged row stays verifiable; see <see cref="AuditChain"/>.
/// </remarks>
public sealed record AuditEvent
{
    public required Guid EventId { get; init; }

    public required DateTimeOffset OccurredAt { get; init; }

    public required string EventType { get; init; }

    public string? PhoneNumber { get; init; }

    public string? IdentityKey { get; init; }

    public string? CarrierId { get; init; }

    public string? ChannelKind { get; init; }

    public string? Region { get; init; }

    public string? OutletId { get; init; }

    public string? ClerkId { get; init; }

    public string? DeviceId { get; init; }

    public string? CardType { get; init; }

    public string? Decision { get; init; }

    public bool FaceCompared { get; init; }

    public string? FaceDecision { get; init; }

    public double? FaceScore { get; init; }

    public string? ModelVersion { get; init; }

    public IReadOnlyList<string> Reasons { get; init; } = [];

    public required string Actor { get; init; }

    public string? StatusAfter { get; init; }

    /// <summary>Free-form JSON for facts that have no column (kept as text so the hash is exact).</summary>
    public string? Details { get; init; }

    /// <summary>
    /// The authenticated caller (credential name) whose request made the event, or <c>system</c> for work
    /// the grid started itself. Null only on rows written before the column existed (hash version 1).
    /// </summary>
    public required string? Caller { get; init; }

    /// <summary>Free-form JSON of facts about persons (other identities' keys) that are purged with the row's number and identity.</summary>
    public string? PersonalDetails { get; init; }

    /// <summary>Random salt of <see cref="PersonalDigest"/> (hex); purged with the personal fields, so the digest cannot be guessed afterwards.</summary>
    public string? PersonalSalt { get; init; }

    /// <summary>SHA-256 (hex) of the salt and the personal fields: what the chain covers of them (hash version 3). Null when the row has none.</summary>
    public string? PersonalDigest { get; init; }

    /// <summary>Whether the personal fields were purged (the digest stays, the salt and the fields are gone).</summary>
    public bool Purged => PersonalDigest is not null && PersonalSalt is null;

    /// <summary>Which canonical form the row's hash covers (<see cref="AuditChain"/>); new rows use the current one.</summary>
    public int HashVersion { get; init; } = AuditChain.CurrentVersion;
}

/// <summary>
/// A stored event with its place in the log (<see cref="Seq"/>, the one order of all events) and in its
/// chain: partition <see cref="Partition"/> at position <see cref="ChainSeq"/> (what its hash covers).
/// </summary>
public sealed record ChainedAuditEvent(long Seq, AuditEvent Event, byte[] PrevHash, byte[] Hash)
{
    public int Partition { get; init; }

    public long ChainSeq { get; init; }
}
