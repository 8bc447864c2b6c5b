using System.Collections.Concurrent;
using System.Diagnostics;

namespace RealName.IntegrationTests.Infrastructure;

/// <summary>
/// A real silo executable (silo/RealName.Silo) in its own OS process, so tests can kill -9 it and start
/// it again on the same ports, exactly as an operator would.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly TestDatabase database;
    private readonly IReadOnlyDictionary<string, string> settings;
    private readonly ConcurrentQueue<string> output = new();
    private Process? process;

    public SiloProcess(TestDatabase database, string clusterId, IReadOnlyDictionary<string, string>? settings = null)
    {
        this.database = database;
        ClusterId = clusterId;
        SiloPort = FreePort.Next();
        GatewayPort = FreePort.Next();
        this.settings = settings ?? new Dictionary<string, string>();
    }

    public string ClusterId { get; }

    public int SiloPort { get; }

    public int GatewayPort { get; }

    public string Output => string.Join('\n', output);

    /// <summary>A configuration key in environment form ("Section__Key"), other than the runtime's own.</summary>
    private static bool IsGridSetting(string name) =>
        name.Contains("__", StringComparison.Ordinal) && !name.StartsWith("DOTNET_", StringComparison.Ordinal) && !name.StartsWith("ASPNETCORE_", StringComparison.Ordinal);

    public async Task StartAsync()
    {
        var start = new ProcessStartInfo("dotnet", [TestEnvironment.SiloAssembly])
        {
            WorkingDirectory = Path.GetDirectoryName(TestEnvironment.SiloAssembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // Hermetic: no grid setting inherited from the shell (scripts/test.sh exports the local grid's secrets).
        foreach (var inherited in start.Environment.Keys.Where(IsGridSetting).ToList())
        {
            start.Environment.Remove(inherited);
        }

        start.Environment["ConnectionStrings__RealName"] = database.GridConnectionString;
        start.Environment["ConnectionStrings__RealNameOwner"] = database.ConnectionString;
        start.Environment["AuditCheckpoints__SigningKey"] = TestEnvironment.CheckpointKeys.SigningKey;
        start.Environment["Sealing__MasterKey"] = database.SealingKey;
        start.Environment["Cluster__ClusterId"] = ClusterId;
        start.Environment["Cluster__SiloPort"] = SiloPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["Cluster__GatewayPort"] = GatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // The gRPC tests register the same card holder under many identities; a test of the 1:N search turns it on.
        start.Environment["FaceIndex__SearchAtRegistration"] = "false";
        // Every gRPC test registers from the same test card reader; a test of the device limit sets its own.
        start.Environment["AttemptLimits__PerDevicePerMinute"] = "0";
        start.Environment["AttemptLimits__PerDevicePerDay"] = "0";
        // Due work (deadlines of seconds, periodic re-reviews every few seconds) is swept every second, not every 30.
        start.Environment["DueWork__SweepInterval"] = "00:00:01";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        process = Process.Start(start) ?? throw new InvalidOperationException("could not start the silo");
        var kept = RunLogs.ForProcess($"silo-{ClusterId}-{SiloPort}");
        process.OutputDataReceived += (_, e) => Received(e.Data, kept);
        process.ErrorDataReceived += (_, e) => Received(e.Data, kept);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        // Active (3) in the membership table means the silo joined the cluster and serves calls.
        await Eventually.Get(
            async () =>
            {
                if (process.HasExited)
                {
                    throw new Xunit.Sdk.XunitException($"silo exited with {process.ExitCode}:\n{Output}");
                }

                return await database.ScalarAsync<int?>(
                    "SELECT status FROM orleansmembershiptable WHERE deploymentid = @c AND port = @p ORDER BY generation DESC LIMIT 1",
                    ("c", ClusterId), ("p", SiloPort));
            },
            status => status == 3,
            TimeSpan.FromSeconds(60),
            $"silo on port {SiloPort} becoming active");
    }

    private void Received(string? line, TextWriter? kept)
    {
        if (line is not null)
        {
            output.Enqueue(line);
            kept?.WriteLine(line);
        }
    }

    /// <summary>SIGKILL: no shutdown code runs, nothing is flushed.</summary>
    public async Task KillAsync()
    {
        if (process is { HasExited: false })
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    /// <summary>SIGTERM: the silo leaves the cluster gracefully.</summary>
    public async Task StopAsync()
    {
        if (process is { HasExited: false })
        {
            using var term = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await term!.WaitForExitAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(timeout.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        process?.Dispose();
    }
}
