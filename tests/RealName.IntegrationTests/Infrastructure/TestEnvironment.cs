using System.Diagnostics;

namespace RealName.IntegrationTests.Infrastructure;

/// <summary>Where the repo, its build outputs and the test PostgreSQL server are.</summary>
public static class TestEnvironment
{
    private static readonly Lazy<string> AdminConnection = new(ResolveAdminConnection);

    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>Build configuration of this test run (Debug or Release), read off the output folder.</summary>
    public static string Configuration { get; } = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/')).Parent!.Name;

    /// <summary>
    /// A connection string with rights to create databases: REALNAME_TEST_CONNECTION when set
    /// (scripts/test.sh sets it), else the private instance that scripts/postgres.sh starts.
    /// </summary>
    public static string AdminConnectionString => AdminConnection.Value;

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
