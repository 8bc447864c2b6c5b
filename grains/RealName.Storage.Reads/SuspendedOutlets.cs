using System.Text.Json;
using Npgsql;

namespace RealName.Storage.Reads;

/// <summary>An outlet suspended now, as its latest OUTLET_SUSPENDED event records it.</summary>
public sealed record SuspendedOutletData(string OutletId, DateTimeOffset SuspendedAt, string SuspendedBy, string Reason, int ConfirmedFraudReports, string? CampaignId);

/// <summary>
/// The risk operators' list of suspended outlets, read from the audit log: outlets whose latest OUTLET_SUSPENDED or
/// OUTLET_REINSTATED event is a suspension (the outlet grains write both), most recent first.
/// </summary>
public sealed class SuspendedOutlets(NpgsqlDataSource dataSource)
{
    public async Task<IReadOnlyList<SuspendedOutletData>> ListAsync(CancellationToken cancellationToken = default)
    {
        const string sql = """
            SELECT outlet_id, occurred_at, actor, details FROM (
                SELECT DISTINCT ON (outlet_id) outlet_id, occurred_at, actor, details, event_type
                FROM audit_events
                WHERE event_type IN ('OUTLET_SUSPENDED', 'OUTLET_REINSTATED') AND outlet_id IS NOT NULL
                ORDER BY outlet_id, seq DESC
            ) latest
            WHERE event_type = 'OUTLET_SUSPENDED'
            ORDER BY occurred_at DESC, outlet_id
            """;
        var result = new List<SuspendedOutletData>();
        await using var command = dataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var details = reader.IsDBNull(3) ? null : JsonSerializer.Deserialize<SuspensionDetails>(reader.GetString(3));
            result.Add(new SuspendedOutletData(
                reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2),
                details?.Reason ?? "", details?.ConfirmedFraudReports ?? 0, details?.CampaignId));
        }

        return result;
    }

    private sealed record SuspensionDetails(
        [property: System.Text.Json.Serialization.JsonPropertyName("reason")] string? Reason,
        [property: System.Text.Json.Serialization.JsonPropertyName("confirmed_fraud_reports")] int ConfirmedFraudReports,
        [property: System.Text.Json.Serialization.JsonPropertyName("campaign_id")] string? CampaignId);
}
