using Npgsql;
using RealName.IntegrationTests.Infrastructure;
using RealName.Storage.Reads;

namespace RealName.IntegrationTests.ConnectionPool;

/// <summary>
/// A statement that fails on one of the grid's pooled connections leaves the connection usable for the next caller,
/// against the real PostgreSQL. With Npgsql's automatic preparation on, it did not: the next statements on that
/// connection failed with "Received unexpected backend message DataRow" (npgsql#6391), which is how the gateway's
/// credential look-up failed twice in CI.
/// </summary>
public sealed class PooledConnectionTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_failed_statement_leaves_the_pooled_connection_usable(bool inTransaction)
    {
        await using var database = await TestDatabase.CreateAsync();
        // One connection, so the statement after the failure runs where the failure happened.
        var pooled = new NpgsqlConnectionStringBuilder(DatabaseOptions.Pooled(database.ConnectionString)) { MaxPoolSize = 1 }.ConnectionString;
        await using var dataSource = NpgsqlDataSource.Create(pooled);
        await using (var create = dataSource.CreateCommand("CREATE TABLE pooled_probe (id serial PRIMARY KEY, value varchar(5))"))
        {
            await create.ExecuteNonQueryAsync();
        }

        // Npgsql prepares a statement automatically at its fifth use (AutoPrepareMinUsages); here the fifth use fails.
        for (var use = 0; use < 4; use++)
        {
            await InsertAsync(dataSource, "fine", inTransaction: false);
        }

        await Assert.ThrowsAsync<PostgresException>(() => InsertAsync(dataSource, "longer than five", inTransaction));

        for (var use = 0; use < 3; use++)
        {
            Assert.True(await InsertAsync(dataSource, "fine", inTransaction: false) > 0);
        }

        Assert.Equal(7L, await database.ScalarAsync<long>("SELECT count(*) FROM pooled_probe"));
    }

    private static async Task<int> InsertAsync(NpgsqlDataSource dataSource, string value, bool inTransaction)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = inTransaction ? await connection.BeginTransactionAsync() : null;
        await using var insert = new NpgsqlCommand("INSERT INTO pooled_probe (value) VALUES (@value) RETURNING id", connection, transaction);
        insert.Parameters.AddWithValue("value", value);
        var id = (int)(await insert.ExecuteScalarAsync())!;
        if (transaction is not null)
        {
            await transaction.CommitAsync();
        }

        return id;
    }
}
