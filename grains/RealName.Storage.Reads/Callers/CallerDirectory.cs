using Npgsql;

namespace RealName.Storage.Reads;

/// <summary>
/// The read side of the callers: look-ups by key hash and certificate thumbprint (authentication) and
/// the list the administrators see. Only valid (not revoked) callers authenticate.
/// </summary>
public sealed class CallerDirectory(NpgsqlDataSource dataSource)
{
    private const string Select = """
        SELECT c.name, c.role, c.carrier_ids, c.outlet_ids, c.channel_kind, c.device_ids, c.created_at, c.created_by, c.revoked_at, c.revoked_by,
               COALESCE((SELECT array_agg(t.thumbprint ORDER BY t.thumbprint) FROM caller_certificates t WHERE t.caller_name = c.name), '{}')
        FROM callers c
        """;

    public async Task<CallerRow?> FindByKeyHashAsync(byte[] keyHash, CancellationToken cancellationToken = default) =>
        (await QueryAsync($"{Select} WHERE c.key_hash = @value AND c.revoked_at IS NULL", keyHash, cancellationToken)).SingleOrDefault();

    public async Task<CallerRow?> FindByThumbprintAsync(string thumbprint, CancellationToken cancellationToken = default) =>
        (await QueryAsync($"{Select} JOIN caller_certificates cc ON cc.caller_name = c.name WHERE cc.thumbprint = @value AND c.revoked_at IS NULL", thumbprint, cancellationToken)).SingleOrDefault();

    public async Task<CallerRow?> GetAsync(string name, CancellationToken cancellationToken = default) =>
        (await QueryAsync($"{Select} WHERE c.name = @value", name, cancellationToken)).SingleOrDefault();

    public Task<IReadOnlyList<CallerRow>> ListAsync(bool includeRevoked, CancellationToken cancellationToken = default) =>
        QueryAsync($"{Select} WHERE @value OR c.revoked_at IS NULL ORDER BY c.name", includeRevoked, cancellationToken);

    private async Task<IReadOnlyList<CallerRow>> QueryAsync<T>(string sql, T value, CancellationToken cancellationToken)
        where T : notnull
    {
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.AddWithValue("value", value);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<CallerRow>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new CallerRow(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetFieldValue<string[]>(2),
                reader.GetFieldValue<string[]>(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.GetFieldValue<string[]>(5),
                reader.GetFieldValue<DateTimeOffset>(6),
                reader.GetString(7),
                reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTimeOffset>(8),
                reader.IsDBNull(9) ? null : reader.GetString(9),
                reader.GetFieldValue<string[]>(10)));
        }

        return rows;
    }
}
