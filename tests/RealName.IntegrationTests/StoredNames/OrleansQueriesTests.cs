using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using RealName.IntegrationTests.Infrastructure;
using RealName.Storage;

namespace RealName.IntegrationTests.StoredNames;

/// <summary>
/// The SQL the Orleans ADO.NET providers run (the texts registered in OrleansQuery), called as the grid's role
/// exactly as the providers call them: the optimistic-concurrency answers Orleans relies on to refuse a stale
/// writer, for membership and grain state.
/// </summary>
public sealed class OrleansQueriesTests : IAsyncLifetime
{
    private const string Deployment = "queries-test";
    private TestDatabase? database;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync();
        SchemaMigrator.Migrate(database.ConnectionString, NullLogger.Instance);
    }

    public async Task DisposeAsync() => await database!.DisposeAsync();

    [Fact]
    public async Task Membership_changes_need_the_version_last_read_and_a_refused_change_leaves_the_version_alone()
    {
        await using var connection = await Open();
        await Run(connection, "InsertMembershipVersionKey", ("DeploymentId", Deployment));

        var inserted = await Run(connection, "InsertMembershipKey", Silo(version: 0));
        var duplicate = await Run(connection, "InsertMembershipKey", Silo(version: 1));
        var stale = await Run(connection, "UpdateMembershipKey", Update(version: 0));
        var updated = await Run(connection, "UpdateMembershipKey", Update(version: 1));
        var unknown = await Run(connection, "UpdateMembershipKey", Update(version: 2, port: 1));
        var rows = await Rows(connection, "MembershipReadAllKey", ("DeploymentId", Deployment));
        var missingSilo = await Rows(connection, "MembershipReadRowKey", ("DeploymentId", Deployment), ("Address", "10.0.0.9"), ("Port", 11111), ("Generation", 1));

        Assert.Equal((1, 0, 0, 1, 0), (inserted, duplicate, stale, updated, unknown));
        var silo = Assert.Single(rows);
        Assert.Equal(("10.0.0.1", 6, "a,b", 2), ((string)silo["Address"], (int)silo["Status"], (string)silo["SuspectTimes"], (int)silo["Version"]));
        var versionOnly = Assert.Single(missingSilo);
        Assert.Equal((DBNull.Value, 2), (versionOnly["StartTime"], (int)versionOnly["Version"]));
    }

    [Fact]
    public async Task Grain_state_writes_and_clears_need_the_version_last_read()
    {
        await using var connection = await Open();
        var first = await Run(connection, "WriteToStorageKey", State(version: null, payload: [1]));
        var raced = await Run(connection, "WriteToStorageKey", State(version: null, payload: [2]));
        var second = await Run(connection, "WriteToStorageKey", State(version: 1, payload: [3]));
        var stale = await Run(connection, "WriteToStorageKey", State(version: 1, payload: [4]));
        var staleClear = await Run(connection, "ClearStorageKey", State(version: 1, payload: null));
        var cleared = await Run(connection, "ClearStorageKey", State(version: 2, payload: null));
        var read = Assert.Single(await Rows(connection, "ReadFromStorageKey", State(version: null, payload: null)));

        Assert.Equal((1, (int?)null, 2, 1, 1, 3), (first, raced, second, stale, staleClear, cleared));
        Assert.Equal((DBNull.Value, 3), (read["PayloadBinary"], (int)read["Version"]));
    }

    private async Task<NpgsqlConnection> Open()
    {
        var connection = new NpgsqlConnection(database!.GridConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static (string, object)[] Silo(int version) =>
    [
        ("DeploymentId", Deployment), ("Address", "10.0.0.1"), ("Port", 11111), ("Generation", 1), ("SiloName", "s1"),
        ("HostName", "h1"), ("Status", 3), ("ProxyPort", 30000), ("StartTime", DateTime.UtcNow), ("IAmAliveTime", DateTime.UtcNow),
        ("Version", version),
    ];

    private static (string, object)[] Update(int version, int port = 11111) =>
    [
        ("DeploymentId", Deployment), ("Address", "10.0.0.1"), ("Port", port), ("Generation", 1), ("Status", 6),
        ("SuspectTimes", "a,b"), ("IAmAliveTime", DateTime.UtcNow), ("Version", version),
    ];

    private static (string, object)[] State(int? version, byte[]? payload) =>
    [
        ("GrainIdHash", 42), ("GrainIdN0", 7L), ("GrainIdN1", 0L), ("GrainTypeHash", 99), ("GrainTypeString", "subscriber"),
        ("GrainIdExtensionString", "13700000001"), ("ServiceId", "realname"),
        ("GrainStateVersion", version is { } v ? v : DBNull.Value), ("PayloadBinary", payload is null ? DBNull.Value : payload),
    ];

    /// <summary>Runs a registered query and returns its single integer answer (null when the answer is NULL).</summary>
    private static async Task<int?> Run(NpgsqlConnection connection, string key, params (string Name, object Value)[] parameters)
    {
        var row = (await Rows(connection, key, parameters)).SingleOrDefault();
        return row is null || row.Values.Single() is DBNull ? null : (int)row.Values.Single();
    }

    private static async Task<List<Dictionary<string, object>>> Rows(NpgsqlConnection connection, string key, params (string Name, object Value)[] parameters)
    {
        var text = await Sql.Scalar<string>(connection, "SELECT QueryText FROM OrleansQuery WHERE QueryKey = @k", ("k", key));
        await using var command = new NpgsqlCommand(text, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var rows = new List<Dictionary<string, object>>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(Enumerable.Range(0, reader.FieldCount).ToDictionary(reader.GetName, reader.GetValue));
        }

        return rows;
    }
}
