using Npgsql;
using RealName.IntegrationTests.Infrastructure;
using RealName.Storage;
using RealName.Storage.Reads;

namespace RealName.IntegrationTests.Audit;

/// <summary>
/// A grid of its own for the audit tests (their figures must not see other tests' events), with a known
/// history seeded into the log in 2025 (before anything the grid itself writes).
/// </summary>
public sealed class AuditGridFixture : GridFixture, IAsyncLifetime
{
    private NpgsqlDataSource? dataSource;

    public AuditLog Log { get; private set; } = null!;

    public NpgsqlDataSource DataSource => dataSource ?? throw new InvalidOperationException("not started");

    public SeededHistory History { get; private set; } = null!;

    public new async Task InitializeAsync()
    {
        await base.InitializeAsync();
        dataSource = NpgsqlDataSource.Create(Database.ConnectionString);
        // Signed like the silo's log, a checkpoint at the end of each seeded batch.
        var keys = TestEnvironment.CheckpointKeys;
        Log = new AuditLog(dataSource, new AuditCheckpointSigner(new AuditCheckpointOptions { SigningKey = keys.SigningKey, EveryEvents = 1 }, TimeProvider.System));
        History = await SeededHistory.SeedAsync(Log);
        await Showcase.SeedAsync(Log);
    }

    public new async Task DisposeAsync()
    {
        if (dataSource is not null)
        {
            await dataSource.DisposeAsync();
        }

        await base.DisposeAsync();
    }

    /// <summary>Runs SQL as the database owner (the test server's superuser), e.g. to tamper with the log.</summary>
    public async Task ExecuteAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class AuditCollection : ICollectionFixture<AuditGridFixture>
{
    public const string Name = "audit";
}
