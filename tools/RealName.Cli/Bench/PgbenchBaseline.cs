using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace RealName.Cli.Bench;

/// <summary>
/// PostgreSQL's own commit rate for writes shaped like a registration's: per transaction one audit-style insert and
/// one state upsert, in scratch tables of the run's own (created before, dropped after; never the real audit table),
/// measured by pgbench against the grid's PostgreSQL with the tables' owner's connection.
/// </summary>
internal static partial class PgbenchBaseline
{
    public static async Task<IReadOnlyDictionary<int, double>> RunAsync(
        string ownerConnection, IReadOnlyList<int> clientCounts, TimeSpan duration, int run, CancellationToken ct)
    {
        var audit = $"bench_scratch_audit_{run}";
        var state = $"bench_scratch_state_{run}";
        var script = Path.Combine(Path.GetTempPath(), $"realname-pgbench-{run}-{Environment.ProcessId}.sql");
        await File.WriteAllTextAsync(script, Script(audit, state), ct);
        await using var dataSource = NpgsqlDataSource.Create(ownerConnection);
        await ExecuteAsync(dataSource, $"""
            CREATE TABLE {audit} (seq bigserial PRIMARY KEY, event_id uuid NOT NULL UNIQUE, occurred_at timestamptz NOT NULL,
              event_type text NOT NULL, phone_number text, details text, hash bytea NOT NULL);
            CREATE TABLE {state} (key bigint PRIMARY KEY, version integer NOT NULL, payload bytea);
            """, ct);
        try
        {
            var tps = new Dictionary<int, double>();
            foreach (var clients in clientCounts.Distinct())
            {
                tps[clients] = await PgbenchAsync(ownerConnection, script, clients, duration, ct);
            }

            return tps;
        }
        finally
        {
            await ExecuteAsync(dataSource, $"DROP TABLE IF EXISTS {audit}; DROP TABLE IF EXISTS {state};", CancellationToken.None);
            File.Delete(script);
        }
    }

    /// <summary>pgbench on the PATH, else the newest under /usr/lib/postgresql.</summary>
    internal static string FindPgbench()
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, "pgbench")).FirstOrDefault(File.Exists);
        return onPath ?? (Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin", "pgbench")).Where(File.Exists).Order(StringComparer.Ordinal).LastOrDefault()
            : null) ?? throw new InvalidOperationException("pgbench not found (apt package postgresql-client or postgresql)");
    }

    internal static string Script(string audit, string state) => $"""
        \set phone random(13000000000, 19999999999)
        BEGIN;
        INSERT INTO {audit} (event_id, occurred_at, event_type, phone_number, details, hash) VALUES (gen_random_uuid(), now(), 'SubscriberRegistered', :phone, repeat('d', 300), sha256(:phone::text::bytea));
        INSERT INTO {state} (key, version, payload) VALUES (:phone, 1, convert_to(repeat('p', 1000), 'UTF8')) ON CONFLICT (key) DO UPDATE SET version = {state}.version + 1, payload = excluded.payload;
        END;

        """;

    private static async Task<double> PgbenchAsync(string ownerConnection, string script, int clients, TimeSpan duration, CancellationToken ct)
    {
        var c = new NpgsqlConnectionStringBuilder(ownerConnection);
        var start = new ProcessStartInfo(FindPgbench())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList =
            {
                "-n", "-f", script, "-c", clients.ToString(CultureInfo.InvariantCulture),
                "-j", Math.Min(clients, Environment.ProcessorCount).ToString(CultureInfo.InvariantCulture),
                "-T", Math.Max(1, (int)duration.TotalSeconds).ToString(CultureInfo.InvariantCulture),
                "-h", c.Host ?? "127.0.0.1", "-p", c.Port.ToString(CultureInfo.InvariantCulture), "-U", c.Username ?? "postgres", c.Database ?? "postgres",
            },
        };
        start.Environment["PGPASSWORD"] = c.Password ?? "";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("pgbench did not start");
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var errors = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        var match = Tps().Match(await output);
        return process.ExitCode == 0 && match.Success
            ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"pgbench failed ({process.ExitCode}): {await errors}");
    }

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync(ct);
    }

    [GeneratedRegex(@"tps = ([0-9.]+) \(without initial connection time\)")]
    private static partial Regex Tps();
}
