using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using RealName.IntegrationTests.Infrastructure;
using RealName.Storage;

namespace RealName.IntegrationTests.StoredNames;

/// <summary>The audit log itself refuses over-long request text, whoever writes it (0024_text_limits.sql).</summary>
public sealed class TextLimitTests : IAsyncLifetime
{
    private TestDatabase? database;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync();
        SchemaMigrator.Migrate(database.ConnectionString, NullLogger.Instance);
    }

    public async Task DisposeAsync() => await database!.DisposeAsync();

    [Theory]
    [InlineData("clerk_id", 64, "audit_events_channel_lengths")]
    [InlineData("actor", 128, "audit_events_subject_lengths")]
    [InlineData("details", 16384, "audit_events_details_length")]
    public async Task An_audit_row_with_text_over_its_bound_is_refused_and_one_at_the_bound_is_kept(string column, int limit, string constraint)
    {
        await using var connection = new NpgsqlConnection(database!.GridConnectionString);
        await connection.OpenAsync();

        var refused = await Assert.ThrowsAsync<PostgresException>(() => Insert(connection, 1, column, new string('x', limit + 1)));
        await Insert(connection, 2, column, new string('x', limit));

        Assert.Equal((PostgresErrorCodes.CheckViolation, constraint), (refused.SqlState, refused.ConstraintName));
    }

    /// <summary>A row as the grid's role would append it, with <paramref name="column"/> set to <paramref name="value"/>.</summary>
    private static Task Insert(NpgsqlConnection connection, long seq, string column, string value)
    {
        var columns = new Dictionary<string, object>(StringComparer.Ordinal) { ["actor"] = "test", [column] = value };
        return Sql.Execute(connection,
            $"INSERT INTO audit_events (seq, chain_partition, chain_seq, event_id, occurred_at, event_type, prev_hash, hash, {string.Join(", ", columns.Keys)}) " +
            $"VALUES (@seq, 0, @seq, gen_random_uuid(), now(), 'REGISTRATION_DECIDED', '\\x00'::bytea, '\\x00'::bytea, {string.Join(", ", columns.Keys.Select(k => "@" + k))})",
            [("seq", seq), .. columns.Select(c => (c.Key, c.Value))]);
    }
}
