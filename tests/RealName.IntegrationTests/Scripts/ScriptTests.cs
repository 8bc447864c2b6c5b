using System.Diagnostics;
using RealName.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace RealName.IntegrationTests.Scripts;

/// <summary>
/// The bash tests under tests/scripts: what a new user does with the repo's scripts and tools, run as they would
/// (each script prints PASS, or SKIP with the reason when the machine cannot show it, and exits non-zero on a failure).
/// </summary>
public sealed class ScriptTests(ITestOutputHelper output)
{
    [Fact]
    public Task Private_postgres_starts_from_a_clone_in_a_folder_only_its_owner_can_enter() =>
        RunAsync("postgres-closed-folder.sh", TimeSpan.FromMinutes(2));

    [Fact]
    public Task The_cli_packs_as_a_dotnet_tool_that_installs_and_runs_from_a_local_folder() =>
        RunAsync("cli-tool-install.sh", TimeSpan.FromMinutes(4));

    private async Task RunAsync(string script, TimeSpan timeout)
    {
        var info = new ProcessStartInfo("bash", [Path.Combine(TestEnvironment.RepoRoot, "tests", "scripts", script)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = TestEnvironment.RepoRoot,
        };
        info.Environment["REALNAME_CONFIGURATION"] = TestEnvironment.Configuration;
        using var process = Process.Start(info) ?? throw new InvalidOperationException("bash did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{script} ran longer than {timeout}");
        }

        var text = await stdout + await stderr;
        output.WriteLine(text);
        Assert.True(process.ExitCode == 0, $"{script} failed ({process.ExitCode}):\n{text}");
        Assert.Matches("(?m)^(PASS|SKIP): ", text);
    }
}
