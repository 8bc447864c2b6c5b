using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using RealName.IntegrationTests.Infrastructure;
using RealName.Storage;

namespace RealName.IntegrationTests.Audit;

/// <summary>
/// A fresh database of its own for tests of the audit log below the grains: the grid's role and the owner each
/// on a data source; migrated at start unless <see cref="MigrateAtStart"/> says the test builds an older schema.
/// </summary>
public abstract class AuditDatabaseTest : IAsyncLifetime
{
    protected TestDatabase Database { get; private set; } = null!;

    /// <summary>Connections as the grid's least-privilege role.</summary>
    protected NpgsqlDataSource Grid { get; private set; } = null!;

    /// <summary>Connections as the tables' owner (the test server's superuser).</summary>
    protected NpgsqlDataSource Owner { get; private set; } = null!;

    protected virtual bool MigrateAtStart => true;

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync();
        if (MigrateAtStart)
        {
            SchemaMigrator.Migrate(Database.ConnectionString, NullLogger.Instance);
        }

        Grid = NpgsqlDataSource.Create(Database.GridConnectionString);
        Owner = NpgsqlDataSource.Create(Database.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await Grid.DisposeAsync();
        await Owner.DisposeAsync();
        await Database.DisposeAsync();
    }

    /// <summary>The first column of every row, read as the owner.</summary>
    protected async Task<List<T>> Column<T>(string sql)
    {
        await using var command = Owner.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<T>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetFieldValue<T>(0));
        }

        return values;
    }
}
