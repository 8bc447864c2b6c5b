using Npgsql;
using RealName.Storage.Reads;

namespace RealName.Storage;

/// <summary>A review decision as the audit log holds it: which number, whose carrier, who decided, what and why.</summary>
public sealed record RecordedReviewDecision(string PhoneNumber, string CarrierId, string DecidedBy, bool Approved, string Reason);

/// <summary>
/// Finds the decision recorded on a review case after the case has left the queue: its REVIEW_DECIDED audit event has
/// a deterministic id (<see cref="DeterministicIds.ReviewDecision"/>, the case id), so this is one indexed read.
/// It lets a retried decision get the answer the first one got instead of "not found".
/// </summary>
public sealed class RecordedReviewDecisions(NpgsqlDataSource dataSource)
{
    public async Task<RecordedReviewDecision?> FindAsync(string caseId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT phone_number, carrier_id, actor, decision, reasons FROM audit_events WHERE event_id = $1 AND event_type = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = DeterministicIds.From(DeterministicIds.ReviewDecision, caseId) });
        command.Parameters.Add(new NpgsqlParameter { Value = AuditEventTypes.ReviewDecided });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken) || reader.IsDBNull(0))
        {
            return null;
        }

        var reasons = reader.GetFieldValue<string[]>(4);
        return new RecordedReviewDecision(
            reader.GetString(0),
            reader.IsDBNull(1) ? "" : reader.GetString(1),
            reader.GetString(2),
            string.Equals(reader.IsDBNull(3) ? null : reader.GetString(3), AuditDecisions.Approved, StringComparison.Ordinal),
            reasons.Length > 0 ? reasons[0] : "");
    }
}
