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
/// Version 3 (current) starts with "v3" and, in place of the personal fields (phone number, identity key,
/// personal details), covers their salted digest: SHA-256(salt || UTF-8(phone U+001F identity U+001F
/// personal details)) with 16 random bytes of salt per row. Purging a row removes the personal fields and
/// the salt and keeps the digest, so the chain verifies before and after a purge, and without the salt the
/// digest cannot be matched against guessed phone numbers. While the salt is there, the verifier checks
/// the personal fields against the digest too.
/// </remarks>
public static class AuditChain
{
    /// <summary>The canonical form that new rows are hashed with.</summary>
    public const int CurrentVersion = 3;

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
        ]);
        if (e.HashVersion >= 3)
        {
            fields.Add(e.PersonalDigest);
        }
        else
        {
            fields.AddRange([e.PhoneNumber, e.IdentityKey]);
        }

        fields.AddRange(
        [
            e.CarrierId, e.ChannelKind, e.Region, e.OutletId, e.ClerkId, e.DeviceId,
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

    /// <summary>
    /// Gives a version-3 event with personal fields a fresh salt and their digest (with <paramref name="salt"/>
    /// when given: the stored row's, to compare a retried event with it). An event without personal fields gets neither.
    /// </summary>
    public static AuditEvent WithPersonalDigest(AuditEvent e, string? salt = null)
    {
        if (e.PhoneNumber is null && e.IdentityKey is null && e.PersonalDetails is null)
        {
            return e with { PersonalSalt = null, PersonalDigest = null };
        }

        salt ??= Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        return e with { PersonalSalt = salt, PersonalDigest = PersonalDigestOf(e, salt) };
    }

    /// <summary>
    /// True when a version-3 row's personal fields agree with its digest: present with their salt and matching,
    /// purged (no fields, no salt), or absent altogether. Earlier versions hash the fields themselves.
    /// </summary>
    public static bool PersonalFieldsIntact(AuditEvent e)
    {
        if (e.HashVersion < 3)
        {
            return e.PersonalDigest is null && e.PersonalSalt is null && e.PersonalDetails is null;
        }

        var hasFields = e.PhoneNumber is not null || e.IdentityKey is not null || e.PersonalDetails is not null;
        return e.PersonalSalt is { } salt
            ? hasFields && e.PersonalDigest == PersonalDigestOf(e, salt)
            : !hasFields;
    }

    private static string PersonalDigestOf(AuditEvent e, string salt)
    {
        var fields = string.Join('\u001F', new[] { e.PhoneNumber, e.IdentityKey, e.PersonalDetails }.Select(f => f ?? "\u2400"));
        return Convert.ToHexStringLower(SHA256.HashData([.. Convert.FromHexString(salt), .. Encoding.UTF8.GetBytes(fields)]));
    }

    /// <summary>Truncates to what PostgreSQL stores, so the hash computed now equals the one recomputed later.</summary>
    public static AuditEvent Normalise(AuditEvent e) =>
        e with { OccurredAt = new DateTimeOffset(e.OccurredAt.UtcTicks - (e.OccurredAt.UtcTicks % 10), TimeSpan.Zero) };
}
