using Microsoft.Extensions.Logging.Abstractions;
using RealName.IntegrationTests.Infrastructure;
using RealName.Storage;

namespace RealName.IntegrationTests;

public sealed class SchemaMigrationTests
{
    [Fact]
    public async Task The_silo_migrates_as_the_owner_before_it_joins_and_logs_the_scripts_it_applied()
    {
        await using var database = await TestDatabase.CreateAsync();
        var silo = new SiloProcess(database, "migrate-" + Guid.NewGuid().ToString("N")[..8]);
        await using (silo)
        {
            await silo.StartAsync();
        }

        Assert.Contains("Database schema script applied: RealName.Storage.Schema.0001_orleans_main.sql", silo.Output, StringComparison.Ordinal);
        Assert.Contains("Database schema script applied: RealName.Storage.Schema.0023_grid_role.sql", silo.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("RealNameOwner is not set", silo.Output, StringComparison.Ordinal);
        // The owner owns the tables; the grid's role (what the silo runs as) owns nothing.
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner = @r", ("r", TestEnvironment.GridRole)));
    }

    /// <summary>Regression: two silos of a new grid (`realname grid chaos`) both created the database, and the loser stopped.</summary>
    [Fact]
    public async Task Silos_migrating_together_a_database_that_does_not_exist_yet_all_succeed()
    {
        await using var database = await TestDatabase.CreateAsync();
        var name = "fresh_" + Guid.NewGuid().ToString("N")[..12];
        var fresh = new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString) { Database = name }.ConnectionString;
        try
        {
            await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => SchemaMigrator.Migrate(fresh, NullLogger.Instance))));
        }
        finally
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            await database.ScalarAsync<object>($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        }
    }

    [Fact]
    public async Task A_new_database_gets_every_table_and_a_second_run_changes_nothing()
    {
        await using var database = await TestDatabase.CreateAsync();

        SchemaMigrator.Migrate(database.ConnectionString, NullLogger.Instance);
        var scripts = await database.ScalarAsync<long>("SELECT count(*) FROM schemaversions");
        SchemaMigrator.Migrate(database.ConnectionString, NullLogger.Instance);

        Assert.Equal(scripts, await database.ScalarAsync<long>("SELECT count(*) FROM schemaversions"));
        foreach (var table in new[] { "orleansquery", "orleansmembershiptable", "orleansmembershipversiontable", "orleansstorage", "orleansreminderstable" })
        {
            Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM information_schema.tables WHERE table_name = @t", ("t", table)));
        }

        // The providers look their SQL up by key: a missing key would only fail at run time.
        foreach (var key in new[] { "UpsertReminderRowKey", "ReadRangeRows1Key", "WriteToStorageKey", "ReadFromStorageKey", "InsertMembershipKey", "GatewaysQueryKey" })
        {
            Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM orleansquery WHERE querykey = @k", ("k", key)));
        }
    }
}
