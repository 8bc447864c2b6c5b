using Npgsql;

namespace RealName.IntegrationTests.Infrastructure;

/// <summary>A fresh, empty database per test class on the real PostgreSQL server; dropped afterwards.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private TestDatabase(string name, string connectionString)
    {
        Name = name;
        ConnectionString = connectionString;
    }

    public string Name { get; }

    /// <summary>As the server's superuser, who creates the database and so owns what the migration creates (the owner connection).</summary>
    public string ConnectionString { get; }

    /// <summary>The master key that seals this database's personal data (every silo on it must use the same).</summary>
    public string SealingKey { get; } = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
    /// <summary>As the grid's least-privilege role (<see cref="TestEnvironment.GridRole"/>), as silos and gateways connect.</summary>
    public string GridConnectionString => new NpgsqlConnectionStringBuilder(ConnectionString)
    {
        Username = TestEnvironment.GridRole,
        Password = TestEnvironment.GridRolePassword,
    }.ConnectionString;

    public static async Task<TestDatabase> CreateAsync()
    {
        var name = "rn_test_" + Guid.NewGuid().ToString("N")[..12];
        var admin = new NpgsqlConnectionStringBuilder(TestEnvironment.AdminConnectionString) { Database = "postgres", Pooling = false };
        await using (var connection = new NpgsqlConnection(admin.ConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        var target = new NpgsqlConnectionStringBuilder(TestEnvironment.AdminConnectionString) { Database = name };
        return new TestDatabase(name, target.ConnectionString);
    }

    public async Task<T?> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (parameterName, value) in parameters)
        {
            command.Parameters.AddWithValue(parameterName, value);
        }

        var result = await command.ExecuteScalarAsync();
        return result is null or DBNull ? default : (T)result;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        var admin = new NpgsqlConnectionStringBuilder(TestEnvironment.AdminConnectionString) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(admin.ConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
