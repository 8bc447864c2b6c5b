using System.Reflection;
using DbUp;
using DbUp.Engine.Output;
using Microsoft.Extensions.Logging;
using Npgsql;
using RealName.Storage.Reads;

namespace RealName.Storage;

/// <summary>
/// The one schema migration path: the embedded, numbered scripts in <c>Schema/</c> (Orleans tables and
/// our own) are applied in order, each once, recorded in DbUp's journal. The silo's
/// <see cref="SchemaMigrationService"/> calls this at start-up, so a new database needs no manual step;
/// several silos starting together serialise on an advisory lock. Returns the scripts it applied.
/// </summary>
public static class SchemaMigrator
{
    // Arbitrary but fixed: every process of the grid agrees on it.
    private const long MigrationLockKey = 0x5265_616C_4E61_6D65; // "RealName"

    /// <param name="before">Only the scripts whose file name sorts before this one (to build a database as an older release left it); null: all.</param>
    public static IReadOnlyList<string> Migrate(string connectionString, ILogger logger, string? before = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        try
        {
            EnsureDatabase.For.PostgresqlDatabase(connectionString, new DbUpLogger(logger));
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DuplicateDatabase)
        {
            // Another silo created the database at the same moment (the lock below needs it to exist): it exists now.
        }

        using var lockConnection = new NpgsqlConnection(connectionString);
        lockConnection.Open();
        using (var take = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", lockConnection))
        {
            take.Parameters.AddWithValue("key", MigrationLockKey);
            take.ExecuteNonQuery();
        }

        try
        {
            var upgrader = DeployChanges.To
                .PostgresqlDatabase(connectionString)
                .WithScriptsEmbeddedInAssembly(Assembly.GetExecutingAssembly(), name => name.Contains(".Schema.", StringComparison.Ordinal)
                    && (before is null || string.CompareOrdinal(name[(name.IndexOf(".Schema.", StringComparison.Ordinal) + 8)..], before) < 0))
                .WithTransactionPerScript()
                .WithVariablesDisabled()
                .LogTo(new DbUpLogger(logger))
                .Build();

            var result = upgrader.PerformUpgrade();
            if (!result.Successful)
            {
                throw new InvalidOperationException(
                    $"Database schema migration failed at script '{result.ErrorScript?.Name}': {result.Error?.Message}",
                    result.Error);
            }

            return [.. result.Scripts.Select(s => s.Name)];
        }
        finally
        {
            using var release = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", lockConnection);
            release.Parameters.AddWithValue("key", MigrationLockKey);
            release.ExecuteNonQuery();
        }
    }

    private sealed class DbUpLogger(ILogger logger) : IUpgradeLog
    {
        public void LogTrace(string format, params object[] args) => logger.LogTrace("{Message}", string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args));
        public void LogDebug(string format, params object[] args) => logger.LogDebug("{Message}", string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args));
        public void LogInformation(string format, params object[] args) => logger.LogInformation("{Message}", string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args));
        public void LogWarning(string format, params object[] args) => logger.LogWarning("{Message}", string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args));
        public void LogError(string format, params object[] args) => logger.LogError("{Message}", string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args));
        public void LogError(Exception ex, string format, params object[] args) => logger.LogError(ex, "{Message}", string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args));
    }
}
