using System.Data.Common;

namespace RealName.Storage.Reads;

/// <summary>Reads a row selected with <see cref="Columns"/> (ordinals 0-30) back into a chained event.</summary>
public static class AuditRows
{
    public const string Columns =
        "seq, event_id, occurred_at, event_type, phone_number, identity_key, carrier_id, channel_kind, region, outlet_id, clerk_id, " +
        "device_id, card_type, decision, face_compared, face_decision, face_score, model_version, reasons, actor, status_after, details, prev_hash, hash, " +
        "caller, hash_version, personal_details, personal_salt, personal_digest, chain_partition, chain_seq";

    /// <summary>How many columns <see cref="Columns"/> names: a query's own columns after them start at this ordinal.</summary>
    public const int Count = 31;

    public static ChainedAuditEvent Read(DbDataReader reader)
    {
        var e = new AuditEvent
        {
            EventId = reader.GetGuid(1),
            OccurredAt = reader.GetFieldValue<DateTimeOffset>(2),
            EventType = reader.GetString(3),
            PhoneNumber = Text(reader, 4),
            IdentityKey = Text(reader, 5),
            CarrierId = Text(reader, 6),
            ChannelKind = Text(reader, 7),
            Region = Text(reader, 8),
            OutletId = Text(reader, 9),
            ClerkId = Text(reader, 10),
            DeviceId = Text(reader, 11),
            CardType = Text(reader, 12),
            Decision = Text(reader, 13),
            FaceCompared = reader.GetBoolean(14),
            FaceDecision = Text(reader, 15),
            FaceScore = reader.IsDBNull(16) ? null : reader.GetDouble(16),
            ModelVersion = Text(reader, 17),
            Reasons = reader.GetFieldValue<string[]>(18),
            Actor = reader.GetString(19),
            StatusAfter = Text(reader, 20),
            Details = Text(reader, 21),
            Caller = Text(reader, 24),
            HashVersion = reader.GetInt16(25),
            PersonalDetails = Text(reader, 26),
            PersonalSalt = Hex(reader, 27),
            PersonalDigest = Hex(reader, 28),
        };
        return new ChainedAuditEvent(reader.GetInt64(0), e, reader.GetFieldValue<byte[]>(22), reader.GetFieldValue<byte[]>(23))
        {
            Partition = reader.GetInt16(29),
            ChainSeq = reader.GetInt64(30),
        };
    }

    private static string? Hex(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : Convert.ToHexStringLower(reader.GetFieldValue<byte[]>(ordinal));

    private static string? Text(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
