using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace RealName.Storage.Reads;

/// <summary>
/// The hash chain of the audit log, shared by the writer (which extends it) and the verifier (which
/// recomputes it): hash(n) = SHA-256(hash(n-1) || UTF-8(canonical(seq, event))), starting from 32 zero bytes.
/// </summary>
/// <remarks>
/// The canonical form is versioned so rows written before a column existed stay verifiable. Version 1
/// (rows written before the caller column): every field in a fixed order, invariant formatting,
/// separated by the ASCII unit separator, null as U+2400. Version 2 (current) starts with the marker
/// "v2" and appends the caller, so a row cannot be re-labelled as version 1 without changing its hash.
/// </remarks>
public static class AuditChain
{
    /// <summary>The canonical form that new rows are hashed with.</summary>
    public const int CurrentVersion = 2;

    public static ReadOnlySpan<byte> GenesisHash => new byte[32];

    /// <summary>The hashed text of an event at a chain position. Timestamps in microseconds, PostgreSQL's precision.</summary>
    public static string Canonical(long seq, AuditEvent e)
    {
        var fields = new List<string?>(24);
        if (e.HashVersion >= 2)
        {
            fields.Add("v" + e.HashVersion.ToString(CultureInfo.InvariantCulture));
        }

        fields.AddRange(
        [
            seq.ToString(CultureInfo.InvariantCulture),
            e.EventId.ToString("D"),
            (e.OccurredAt.UtcTicks / 10).ToString(CultureInfo.InvariantCulture),
            e.EventType,
            e.PhoneNumber, e.IdentityKey, e.CarrierId, e.ChannelKind, e.Region, e.OutletId, e.ClerkId, e.DeviceId,
            e.CardType, e.Decision,
            e.FaceCompared ? "1" : "0",
            e.FaceDecision,
            e.FaceScore?.ToString("R", CultureInfo.InvariantCulture),
            e.ModelVersion,
            string.Join('\u001E', e.Reasons),
            e.Actor, e.StatusAfter, e.Details,
        ]);
        if (e.HashVersion >= 2)
        {
            fields.Add(e.Caller);
        }

        return string.Join('\u001F', fields.Select(f => f ?? "\u2400"));
    }

    public static byte[] ComputeHash(ReadOnlySpan<byte> prevHash, long seq, AuditEvent e)
    {
        if (!Hashable(e))
        {
            throw new ArgumentException($"Hash version {e.HashVersion} with caller {(e.Caller is null ? "unset" : "set")} has no canonical form.", nameof(e));
        }

        var body = Encoding.UTF8.GetBytes(Canonical(seq, e));
        var buffer = new byte[prevHash.Length + body.Length];
        prevHash.CopyTo(buffer);
        body.CopyTo(buffer, prevHash.Length);
        return SHA256.HashData(buffer);
    }

    /// <summary>
    /// False for a version the grid never wrote, or a caller on a version-1 row (whose form cannot cover
    /// it): such a row was not written by the grid.
    /// </summary>
    public static bool Hashable(AuditEvent e) =>
        e.HashVersion is >= 1 and <= CurrentVersion && (e.HashVersion >= 2 || e.Caller is null);

    /// <summary>Truncates to what PostgreSQL stores, so the hash computed now equals the one recomputed later.</summary>
    public static AuditEvent Normalise(AuditEvent e) =>
        e with { OccurredAt = new DateTimeOffset(e.OccurredAt.UtcTicks - (e.OccurredAt.UtcTicks % 10), TimeSpan.Zero) };
}
