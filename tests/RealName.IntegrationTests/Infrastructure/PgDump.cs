using System.Diagnostics;
using System.Text.RegularExpressions;
using Npgsql;

namespace RealName.IntegrationTests.Infrastructure;

/// <summary>A data-only dump of a test database by the pg_dump of the PostgreSQL the scripts install (scripts/common.sh pg_bin_dir).</summary>
internal static partial class PgDump
{
    /// <summary>The dump's text, followed by every bytea hex literal decoded as UTF-8 (grain state is JSON in a bytea).</summary>
    public static async Task<string> TextAsync(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var start = new ProcessStartInfo(Binary(), ["--data-only", "--inserts", "-h", builder.Host!, "-p", builder.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", builder.Username!, builder.Database!])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["PGPASSWORD"] = builder.Password;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, await error);

        var text = await output;
        return text + HexLiteral().Replace(text, m => System.Text.Encoding.UTF8.GetString(Convert.FromHexString(m.Groups[1].Value)));
    }

    /// <summary>The newest /usr/lib/postgresql/N/bin/pg_dump, as the scripts pick the newest server binaries.</summary>
    private static string Binary() =>
        Directory.GetDirectories("/usr/lib/postgresql")
            .Select(d => (Version: int.TryParse(Path.GetFileName(d), out var v) ? v : -1, Path: Path.Combine(d, "bin", "pg_dump")))
            .Where(c => File.Exists(c.Path))
            .OrderByDescending(c => c.Version)
            .Select(c => c.Path)
            .First();

    [GeneratedRegex(@"'\\x([0-9a-f]+)'")]
    private static partial Regex HexLiteral();
}
