using System.Diagnostics;
using System.Security.Cryptography;
using Npgsql;

namespace RealName.IntegrationTests.Infrastructure;

/// <summary>Where the repo, its build outputs and the test PostgreSQL server are.</summary>
public static class TestEnvironment
{
    private static readonly Lazy<string> AdminConnection = new(ResolveAdminConnection);
    private static readonly Lazy<string> GridPassword = new(EnsureGridRole);

    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>Build configuration of this test run (Debug or Release), read off the output folder.</summary>
    public static string Configuration { get; } = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/')).Parent!.Name;

    /// <summary>
    /// A connection string with rights to create databases: REALNAME_TEST_CONNECTION when set
    /// (scripts/test.sh sets it), else the private instance that scripts/postgres.sh starts.
    /// </summary>
    public static string AdminConnectionString => AdminConnection.Value;

    /// <summary>
    /// The login role the test grids connect as: a member of realname_app (the schema's least-privilege
    /// role), neither owner nor superuser, as in production. Created on first use.
    /// </summary>
    public const string GridRole = "rn_test_grid";

    public static string GridRolePassword => GridPassword.Value;

    /// <summary>The test grids' checkpoint key pair (ECDSA P-256, base64 PKCS#8 and SubjectPublicKeyInfo), made per test run.</summary>
    public static (string SigningKey, string PublicKey) CheckpointKeys { get; } = NewCheckpointKeys();

    /// <summary>The shared models and photos: REALNAME_SHARED, else the <c>shared</c> folder beside the repo.</summary>
    public static string SharedRoot { get; } = Environment.GetEnvironmentVariable("REALNAME_SHARED") is { Length: > 0 } configured
        ? configured
        : Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));

    public static string SiloAssembly => Path.Combine(RepoRoot, "silo", "RealName.Silo", "bin", Configuration, "net10.0", "RealName.Silo.dll");

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RealName.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("RealName.sln not found above " + AppContext.BaseDirectory);
    }

    private static string ResolveAdminConnection()
    {
        var configured = Environment.GetEnvironmentVariable("REALNAME_TEST_CONNECTION");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        Run(Path.Combine(RepoRoot, "scripts", "postgres.sh"), "start");
        return Run(Path.Combine(RepoRoot, "scripts", "postgres.sh"), "connection-string").Trim();
    }

    private static (string, string) NewCheckpointKeys()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return (Convert.ToBase64String(key.ExportPkcs8PrivateKey()), Convert.ToBase64String(key.ExportSubjectPublicKeyInfo()));
    }

    /// <summary>Creates realname_app (normally the first migration does) and the test login role in it; returns its new password.</summary>
    private static string EnsureGridRole()
    {
        var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var admin = new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = "postgres", Pooling = false };
        using var connection = new NpgsqlConnection(admin.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand($"""
            DO $$
            BEGIN
                IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'realname_app') THEN CREATE ROLE realname_app NOLOGIN; END IF;
                IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{GridRole}') THEN CREATE ROLE {GridRole} LOGIN; END IF;
            END
            $$;
            ALTER ROLE {GridRole} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '{password}';
            GRANT realname_app TO {GridRole};
            """, connection);
        command.ExecuteNonQuery();
        return password;
    }

    private static string Run(string file, string argument)
    {
        using var process = Process.Start(new ProcessStartInfo(file, argument) { RedirectStandardOutput = true, RedirectStandardError = true })
            ?? throw new InvalidOperationException($"could not start {file}");
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"{file} {argument} failed: {error}");
    }
}
