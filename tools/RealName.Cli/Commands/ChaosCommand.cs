using System.Collections.Concurrent;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Npgsql;
using RealName.Cli.Bench;
using RealName.Contracts.V1;
using RealName.Face;

namespace RealName.Cli.Commands;

/// <summary>
/// `realname grid chaos`: starts a grid of its own (private PostgreSQL, two silos, the gateway) with
/// scripts/run-grid.sh, sends concurrent registrations that retry with their idempotency keys, kills a
/// silo with SIGKILL and restarts PostgreSQL while they run, then kills every silo, starts them again and
/// checks every acknowledged registration against what PostgreSQL holds (grain state, read back through the
/// grid) and the audit log. Lost, duplicated, missing-audit and unclear-answer counts must be 0.
/// </summary>
internal static class ChaosCommand
{
    /// <summary>Ports the tool's private PostgreSQL may take (one run at a time per port).</summary>
    private const int FirstPostgresPort = 55420;
    private const int LastPostgresPort = 55429;

    public static Command Create()
    {
        var count = new Option<int?>("--registrations") { Description = "How many registrations (default 600; 120 with --short)" };
        var concurrency = new Option<int>("--concurrency") { Description = "Calls in flight", DefaultValueFactory = _ => 8 };
        var shortRun = new Option<bool>("--short") { Description = "The CI variant: 120 registrations, the same faults" };
        var keep = new Option<bool>("--keep") { Description = "Keep the grid's data folder (logs, database) afterwards" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object" };
        var command = new Command("chaos", "Fault test: kill -9 a silo and restart PostgreSQL under load, then count lost registrations")
        {
            count, concurrency, shortRun, keep, json,
        };
        command.SetAction(async (r, ct) =>
        {
            var total = r.GetValue(count) ?? (r.GetValue(shortRun) ? 120 : 600);
            var run = new ChaosRun(Math.Max(20, total), Math.Max(1, r.GetValue(concurrency)));
            var passed = false;
            try
            {
                var report = await run.RunAsync(ct);
                Console.WriteLine(r.GetValue(json) ? JsonSerializer.Serialize(report) : report.ToText());
                passed = report.Passed;
                return passed ? 0 : 1;
            }
            finally
            {
                await run.StopAsync(keepData: r.GetValue(keep) || !passed);
            }
        });
        return command;
    }

    /// <summary>What the fault run measured.</summary>
    internal sealed record ChaosReport(
        int Sent, int Acknowledged, int Refused, int GaveUp, int Unclear, int Lost, int Duplicated, int AuditMissing,
        double SiloKillRecoverySeconds, double PostgresRestartRecoverySeconds, double Seconds,
        IReadOnlyDictionary<string, int> Retries, string DataFolder)
    {
        /// <summary>Nothing lost, duplicated or unaudited, every answer clear, and the grid acknowledged work.</summary>
        public bool Passed => Lost == 0 && Duplicated == 0 && AuditMissing == 0 && Unclear == 0 && GaveUp == 0 && Acknowledged > 0;

        public string ToText() => string.Create(CultureInfo.InvariantCulture,
            $"sent {Sent}, acknowledged {Acknowledged}, refused {Refused}, gave up {GaveUp}, unclear answers {Unclear}\n" +
            $"lost {Lost}, duplicated {Duplicated}, audit rows missing {AuditMissing}\n" +
            $"served again {SiloKillRecoverySeconds:0.0} s after the silo kill, {PostgresRestartRecoverySeconds:0.0} s after the PostgreSQL restart; {Seconds:0} s of load\n" +
            $"retried answers: {(Retries.Count == 0 ? "none" : string.Join(", ", Retries.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} {p.Value}")))}\n" +
            $"{(Passed ? "PASS" : "FAIL (grid data and logs kept in " + DataFolder + ")")}");
    }

    private enum Outcome
    {
        Acknowledged,
        Refused,
        GaveUp,
        Unclear,
    }

    private sealed class ChaosRun(int total, int inFlight)
    {
        private static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(3);
        private static readonly TimeSpan CallDeadline = TimeSpan.FromSeconds(20);
        private readonly string repo = FindRepo();
        private readonly string dataDir = Path.Combine(FindRepo(), "data", "chaos-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        private readonly Dictionary<string, string> environment = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, int> retries = new(StringComparer.Ordinal);
        private readonly ConcurrentQueue<DateTimeOffset> acknowledgedAt = new();
        private readonly ConcurrentQueue<DateTimeOffset> failedAt = new();
        private bool started;

        public async Task<ChaosReport> RunAsync(CancellationToken ct)
        {
            var grpcPort = FreePort();
            environment["REALNAME_DATA"] = dataDir;
            environment["REALNAME_PG_PORT"] = FreePostgresPort().ToString(CultureInfo.InvariantCulture);
            environment["REALNAME_GRPC_URL"] = $"http://127.0.0.1:{grpcPort}";
            environment["REALNAME_WEB_URL"] = $"http://127.0.0.1:{FreePort()}";
            environment["REALNAME_SILOS"] = "2";
            environment["REALNAME_SILO_PORT_BASE"] = FreePort().ToString(CultureInfo.InvariantCulture);
            environment["REALNAME_GATEWAY_PORT_BASE"] = FreePort().ToString(CultureInfo.InvariantCulture);
            // The run's own PostgreSQL, even where the environment names an external server: the run stops it.
            environment["REALNAME_CONNECTION_STRING"] = "";
            environment["REALNAME_OWNER_CONNECTION_STRING"] = "";
            Say($"starting a grid of two silos in {dataDir} (PostgreSQL on port {environment["REALNAME_PG_PORT"]})");
            started = true;
            await Script("scripts/run-grid.sh", "--detach");
            var key = (await Script("bash", "-c", ". scripts/common.sh; ensure_secrets >/dev/null 2>&1; api_key RETAIL_TERMINAL")).Trim();
            var connectionString = (await Script("scripts/postgres.sh", "connection-string")).Trim();

            var data = SharedPaths.DataRoot();
            var pair = new FacePair("id-card",
                ByteString.CopyFrom(await File.ReadAllBytesAsync(Path.Combine(data, "idcards/foamliu/id_card.jpg"), ct)),
                ByteString.CopyFrom(await File.ReadAllBytesAsync(Path.Combine(data, "faces/foamliu_idcard/photo_1.jpg"), ct)));
            using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}");
            var client = new RegistrationService.RegistrationServiceClient(GridCommands.WithKey(channel, key));

            var runId = Random.Shared.Next(100, 999);
            var outcomes = new ConcurrentDictionary<int, (RegisterSubscriberRequest Request, Outcome Outcome)>();
            var next = -1;
            var clock = Stopwatch.StartNew();
            Say($"sending {total} registrations, {inFlight} in flight");
            var load = Task.WhenAll(Enumerable.Range(0, inFlight).Select(async _ =>
            {
                for (var i = Interlocked.Increment(ref next); i < total; i = Interlocked.Increment(ref next))
                {
                    var request = BenchRequests.Registration(runId, i, pair);
                    outcomes[i] = (request, await RegisterWithRetries(client, request, ct));
                }
            }));

            var faults = InjectFaultsAsync(() => outcomes.Count, ct);
            await load;
            var (siloRecovery, postgresRecovery) = await faults;
            var seconds = clock.Elapsed.TotalSeconds;

            // Every silo dies without a goodbye, so what is read back next comes from PostgreSQL, not a silo's memory.
            Say("kill -9 every silo, start them again, then check every acknowledged registration");
            await KillSilo(1);
            await KillSilo(2);
            await Script("scripts/run-grid.sh", "silo", "1");
            await Script("scripts/run-grid.sh", "silo", "2");

            var acknowledged = outcomes.Values.Where(o => o.Outcome == Outcome.Acknowledged).Select(o => o.Request).ToList();
            var (lost, duplicated, auditMissing) = await VerifyAsync(client, connectionString, acknowledged, ct);
            return new ChaosReport(
                total, acknowledged.Count, Count(Outcome.Refused), Count(Outcome.GaveUp), Count(Outcome.Unclear),
                lost, duplicated, auditMissing, siloRecovery, postgresRecovery, Math.Round(seconds, 1), retries, dataDir);

            int Count(Outcome outcome) => outcomes.Values.Count(o => o.Outcome == outcome);
        }

        public async Task StopAsync(bool keepData)
        {
            if (!started)
            {
                return;
            }

            await Script("scripts/run-grid.sh", "stop");
            if (!keepData && Directory.Exists(dataDir))
            {
                Directory.Delete(dataDir, recursive: true);
            }
        }

        /// <summary>A quarter in: SIGKILL silo 1 and start it again 5 s later. Three fifths in: stop PostgreSQL, start it 2 s later.</summary>
        private async Task<(double Silo, double Postgres)> InjectFaultsAsync(Func<int> done, CancellationToken ct)
        {
            await WaitUntil(() => done() >= total / 4, ct);
            Say($"kill -9 silo 1 after {done()} registrations");
            var killedAt = DateTimeOffset.UtcNow;
            await KillSilo(1);
            await Task.Delay(TimeSpan.FromSeconds(5), ct);
            await Script("scripts/run-grid.sh", "silo", "1");

            await WaitUntil(() => done() >= total * 3 / 5, ct);
            Say($"restarting PostgreSQL after {done()} registrations");
            var restartedAt = DateTimeOffset.UtcNow;
            await Script("scripts/postgres.sh", "stop");
            await Task.Delay(TimeSpan.FromSeconds(2), ct);
            await Script("scripts/postgres.sh", "start");

            var postgresRecovery = await RecoveryAfter(restartedAt, DateTimeOffset.MaxValue, ct);
            return (await RecoveryAfter(killedAt, restartedAt, ct), postgresRecovery);
        }

        private async Task KillSilo(int silo)
        {
            var pidFile = Path.Combine(dataDir, "run", $"silo-{silo}.pid");
            var pid = int.Parse((await File.ReadAllTextAsync(pidFile)).Trim(), CultureInfo.InvariantCulture);
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill();
                await process.WaitForExitAsync();
            }
            catch (ArgumentException)
            {
                // Already gone.
            }
        }

        /// <summary>
        /// Seconds from a fault until the grid served again: the first acknowledgement after the last retryable
        /// failure that followed the fault (and came before the next one). NaN when nothing was acknowledged after it.
        /// </summary>
        private async Task<double> RecoveryAfter(DateTimeOffset fault, DateTimeOffset nextFault, CancellationToken ct)
        {
            var deadline = DateTimeOffset.UtcNow + GiveUpAfter;
            while (DateTimeOffset.UtcNow < deadline)
            {
                var lastFailure = failedAt.Where(t => t >= fault && t < nextFault).DefaultIfEmpty(fault).Max();
                var firstAfter = acknowledgedAt.Where(t => t > lastFailure).DefaultIfEmpty(DateTimeOffset.MinValue).Min();
                if (firstAfter != DateTimeOffset.MinValue && (nextFault != DateTimeOffset.MaxValue || DateTimeOffset.UtcNow - firstAfter > TimeSpan.FromSeconds(3)))
                {
                    return Math.Round((firstAfter - fault).TotalSeconds, 1);
                }

                await Task.Delay(200, ct);
            }

            return double.NaN;
        }

        /// <summary>
        /// Retries UNAVAILABLE, DEADLINE_EXCEEDED and RESOURCE_EXHAUSTED with the same idempotency key (the grid says
        /// nothing was acknowledged, or a lost answer may hide an acknowledgement); a rule's answer is final, and any
        /// other status (UNKNOWN, INTERNAL…) is an unclear answer: a defect the run reports.
        /// </summary>
        private async Task<Outcome> RegisterWithRetries(RegistrationService.RegistrationServiceClient client, RegisterSubscriberRequest request, CancellationToken ct)
        {
            var until = DateTimeOffset.UtcNow + GiveUpAfter;
            var delay = TimeSpan.FromMilliseconds(200);
            while (DateTimeOffset.UtcNow < until)
            {
                try
                {
                    await client.RegisterSubscriberAsync(request, deadline: DateTime.UtcNow.Add(CallDeadline), cancellationToken: ct);
                    acknowledgedAt.Enqueue(DateTimeOffset.UtcNow);
                    return Outcome.Acknowledged;
                }
                catch (RpcException e) when (e.StatusCode is StatusCode.FailedPrecondition or StatusCode.InvalidArgument or StatusCode.PermissionDenied)
                {
                    Say($"{request.PhoneNumber}: refused {e.StatusCode} {Reason(e)}");
                    return Outcome.Refused;
                }
                catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.ResourceExhausted)
                {
                    failedAt.Enqueue(DateTimeOffset.UtcNow);
                    retries.AddOrUpdate(Key(e), 1, (_, n) => n + 1);
                    await Task.Delay(delay, ct);
                    delay = TimeSpan.FromMilliseconds(Math.Min(2000, delay.TotalMilliseconds * 2));
                }
                catch (RpcException e)
                {
                    retries.AddOrUpdate(Key(e), 1, (_, n) => n + 1);
                    Say($"{request.PhoneNumber}: unclear answer {e.StatusCode} {Reason(e)}: {e.Status.Detail}");
                    return Outcome.Unclear;
                }
            }

            return Outcome.GaveUp;

            static string Key(RpcException e) => e.StatusCode + (Reason(e) is { } reason ? "/" + reason : "");
        }

        private static string? Reason(RpcException e) => e.GetRpcStatus()?.GetDetail<Google.Rpc.ErrorInfo>()?.Reason;

        /// <summary>
        /// Lost: acknowledged, but not registered once read back from storage. Duplicated: more than one positive
        /// registration decision in the audit log for the number. Missing: none.
        /// </summary>
        private static async Task<(int Lost, int Duplicated, int AuditMissing)> VerifyAsync(
            RegistrationService.RegistrationServiceClient client, string connectionString, IReadOnlyList<RegisterSubscriberRequest> acknowledged, CancellationToken ct)
        {
            int lost = 0, duplicated = 0, missing = 0;
            await using var dataSource = NpgsqlDataSource.Create(connectionString);
            foreach (var request in acknowledged)
            {
                var read = await ReadWithRetries(client, request.PhoneNumber, ct);
                if (read is not { Subscriber.Status: SubscriberStatus.Active or SubscriberStatus.PendingReview })
                {
                    Say($"{request.PhoneNumber}: acknowledged but read back as {read?.Subscriber.Status.ToString() ?? "not registered"}");
                    lost++;
                }

                await using var count = dataSource.CreateCommand(
                    "SELECT count(*) FROM audit_events WHERE phone_number = $1 AND event_type = 'REGISTRATION_DECIDED' AND decision IN ('APPROVED', 'PENDING_REVIEW')");
                count.Parameters.Add(new NpgsqlParameter { Value = request.PhoneNumber });
                var recorded = (long)(await count.ExecuteScalarAsync(ct))!;
                if (recorded != 1)
                {
                    Say($"{request.PhoneNumber}: {recorded} positive registration decisions in the audit log");
                }

                duplicated += recorded > 1 ? 1 : 0;
                missing += recorded == 0 ? 1 : 0;
            }

            return (lost, duplicated, missing);
        }

        /// <summary>The record as the grid reads it (retrying while the restarted silos join); null when not found.</summary>
        private static async Task<GetSubscriberResponse?> ReadWithRetries(RegistrationService.RegistrationServiceClient client, string phone, CancellationToken ct)
        {
            var until = DateTimeOffset.UtcNow + GiveUpAfter;
            while (true)
            {
                try
                {
                    return await client.GetSubscriberAsync(new GetSubscriberRequest { PhoneNumber = phone }, deadline: DateTime.UtcNow.Add(CallDeadline), cancellationToken: ct);
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
                {
                    return null;
                }
                catch (RpcException) when (DateTimeOffset.UtcNow < until)
                {
                    await Task.Delay(500, ct);
                }
            }
        }

        private async Task<string> Script(string file, params string[] arguments)
        {
            var start = new ProcessStartInfo(file.StartsWith("scripts/", StringComparison.Ordinal) ? Path.Combine(repo, file) : file, arguments)
            {
                WorkingDirectory = repo,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var (name, value) in environment)
            {
                start.Environment[name] = value;
            }

            using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return process.ExitCode == 0
                ? await output
                : throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await error}{await output}");
        }

        private static void Say(string message) =>
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[chaos {DateTime.UtcNow:HH:mm:ss}] {message}"));

        private static async Task WaitUntil(Func<bool> condition, CancellationToken ct)
        {
            while (!condition())
            {
                await Task.Delay(50, ct);
            }
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        /// <summary>The first port of the tool's range that nothing listens on.</summary>
        private static int FreePostgresPort()
        {
            for (var port = FirstPostgresPort; port <= LastPostgresPort; port++)
            {
                try
                {
                    using var listener = new TcpListener(IPAddress.Loopback, port);
                    listener.Start();
                    return port;
                }
                catch (SocketException)
                {
                    // Taken: try the next one.
                }
            }

            throw new InvalidOperationException($"ports {FirstPostgresPort}-{LastPostgresPort} are all taken; stop another chaos run first");
        }

        private static string FindRepo()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "RealName.sln")))
                {
                    return dir.FullName;
                }
            }

            return Directory.GetCurrentDirectory();
        }
    }
}
