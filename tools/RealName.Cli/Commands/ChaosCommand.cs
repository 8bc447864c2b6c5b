using System.Collections.Concurrent;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Npgsql;
using RealName.Contracts.V1;
using RealName.Face;

namespace RealName.Cli.Commands;

/// <summary>
/// `realname grid chaos`: starts a grid of its own (private PostgreSQL, two silos, the gateway) with
/// scripts/run-grid.sh, sends concurrent registrations that retry with their idempotency keys, kills a
/// silo with SIGKILL and restarts PostgreSQL while they run, then checks every acknowledged registration
/// against the grid and the audit log. Lost, duplicated and missing-audit counts must be 0.
/// </summary>
internal static class ChaosCommand
{
    public static Command Create()
    {
        var count = new Option<int>("--registrations") { Description = "How many registrations", DefaultValueFactory = _ => 200 };
        var concurrency = new Option<int>("--concurrency") { Description = "Calls in flight", DefaultValueFactory = _ => 8 };
        var keep = new Option<bool>("--keep") { Description = "Keep the grid's data folder afterwards" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object" };
        var command = new Command("chaos", "Fault test: kill -9 a silo and restart PostgreSQL under load, then count lost registrations")
        {
            count, concurrency, keep, json,
        };
        command.SetAction(async (r, ct) =>
        {
            var run = new ChaosRun(r.GetValue(count), Math.Max(1, r.GetValue(concurrency)), r.GetValue(json));
            try
            {
                var report = await run.RunAsync(ct);
                Console.WriteLine(r.GetValue(json) ? JsonSerializer.Serialize(report) : report.ToText());
                return report.Lost == 0 && report.Duplicated == 0 && report.AuditMissing == 0 && report.Acknowledged > 0 ? 0 : 1;
            }
            finally
            {
                await run.StopAsync(keepData: r.GetValue(keep));
            }
        });
        return command;
    }

    /// <summary>What the fault run measured.</summary>
    internal sealed record ChaosReport(
        int Sent, int Acknowledged, int Refused, int GaveUp, int Lost, int Duplicated, int AuditMissing,
        double SiloKillRecoverySeconds, double PostgresRestartRecoverySeconds, double Seconds,
        IReadOnlyDictionary<string, int> Retries)
    {
        public string ToText() => string.Create(CultureInfo.InvariantCulture,
            $"sent {Sent}, acknowledged {Acknowledged}, refused {Refused}, gave up {GaveUp}; lost {Lost}, duplicated {Duplicated}, audit rows missing {AuditMissing}\n" +
            $"served again {SiloKillRecoverySeconds:0.0} s after the silo kill, {PostgresRestartRecoverySeconds:0.0} s after the PostgreSQL restart; {Seconds:0} s in all\n" +
            $"retried answers: {string.Join(", ", Retries.Select(p => $"{p.Key} {p.Value}"))}");
    }

    private sealed class ChaosRun(int total, int inFlight, bool quiet)
    {
        private static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(3);
        private readonly string repo = FindRepo();
        private readonly string dataDir = Path.Combine(FindRepo(), "data", "chaos-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        private readonly Dictionary<string, string> environment = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, int> retries = new(StringComparer.Ordinal);
        private readonly ConcurrentQueue<DateTimeOffset> acknowledgedAt = new();
        private bool started;

        public async Task<ChaosReport> RunAsync(CancellationToken ct)
        {
            var grpcPort = FreePort();
            environment["REALNAME_DATA"] = dataDir;
            environment["REALNAME_PG_PORT"] = FreePort().ToString(CultureInfo.InvariantCulture);
            environment["REALNAME_GRPC_URL"] = $"http://127.0.0.1:{grpcPort}";
            environment["REALNAME_WEB_URL"] = $"http://127.0.0.1:{FreePort()}";
            environment["REALNAME_SILOS"] = "2";
            environment["REALNAME_SILO_PORT_BASE"] = FreePort().ToString(CultureInfo.InvariantCulture);
            environment["REALNAME_GATEWAY_PORT_BASE"] = FreePort().ToString(CultureInfo.InvariantCulture);
            Say($"starting a grid of two silos in {dataDir}");
            started = true;
            await Script("scripts/run-grid.sh", "--detach");
            var key = (await Script("bash", "-c", ". scripts/common.sh; ensure_secrets >/dev/null 2>&1; api_key channel")).Trim();
            var connectionString = (await Script("scripts/postgres.sh", "connection-string")).Trim();

            var data = SharedPaths.DataRoot();
            var portrait = ByteString.CopyFrom(await File.ReadAllBytesAsync(Path.Combine(data, "idcards/foamliu/id_card.jpg"), ct));
            var live = ByteString.CopyFrom(await File.ReadAllBytesAsync(Path.Combine(data, "faces/foamliu_idcard/photo_1.jpg"), ct));
            using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}");
            var client = new RegistrationService.RegistrationServiceClient(channel.Intercept(m =>
            {
                m.Add("x-api-key", key);
                return m;
            }));

            var runId = Random.Shared.Next(100, 999);
            var outcomes = new ConcurrentDictionary<int, (RegisterSubscriberRequest Request, string Outcome)>();
            var next = -1;
            var clock = Stopwatch.StartNew();
            var load = Task.WhenAll(Enumerable.Range(0, inFlight).Select(async _ =>
            {
                for (var i = Interlocked.Increment(ref next); i < total; i = Interlocked.Increment(ref next))
                {
                    var request = GridCommands.Registration(runId, i, portrait, live);
                    outcomes[i] = (request, await RegisterWithRetries(client, request, ct));
                }
            }));

            var faults = InjectFaultsAsync(() => outcomes.Count, ct);
            await load;
            var (siloRecovery, postgresRecovery) = await faults;
            var seconds = clock.Elapsed.TotalSeconds;

            Say("checking every acknowledged registration against the grid and the audit log");
            var acknowledged = outcomes.Values.Where(o => o.Outcome == "ACK").Select(o => o.Request).ToList();
            var (lost, duplicated, auditMissing) = await VerifyAsync(client, connectionString, acknowledged, ct);
            return new ChaosReport(
                total, acknowledged.Count, outcomes.Values.Count(o => o.Outcome == "REFUSED"), outcomes.Values.Count(o => o.Outcome == "GAVE_UP"),
                lost, duplicated, auditMissing, siloRecovery, postgresRecovery, seconds, retries);
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

        /// <summary>A quarter in: SIGKILL silo 1 and start it again 5 s later. Three fifths in: restart PostgreSQL.</summary>
        private async Task<(double Silo, double Postgres)> InjectFaultsAsync(Func<int> done, CancellationToken ct)
        {
            await WaitUntil(() => done() >= total / 4, ct);
            var pid = int.Parse(await File.ReadAllTextAsync(Path.Combine(dataDir, "run", "silo-1.pid"), ct), CultureInfo.InvariantCulture);
            var killedAt = DateTimeOffset.UtcNow;
            Say($"kill -9 silo 1 (pid {pid}) after {done()} registrations");
            Process.GetProcessById(pid).Kill();
            var siloRecovery = RecoveryAfter(killedAt, ct);
            await Task.Delay(TimeSpan.FromSeconds(5), ct);
            await Script("scripts/run-grid.sh", "silo", "1");

            await WaitUntil(() => done() >= total * 3 / 5, ct);
            Say($"restarting PostgreSQL after {done()} registrations");
            var restartedAt = DateTimeOffset.UtcNow;
            await Script("scripts/postgres.sh", "stop");
            await Task.Delay(TimeSpan.FromSeconds(2), ct);
            await Script("scripts/postgres.sh", "start");
            var postgresRecovery = RecoveryAfter(restartedAt, ct);
            return (await siloRecovery, await postgresRecovery);
        }

        /// <summary>Seconds from the fault until the first registration acknowledged after it.</summary>
        private async Task<double> RecoveryAfter(DateTimeOffset fault, CancellationToken ct)
        {
            var deadline = DateTimeOffset.UtcNow + GiveUpAfter;
            while (DateTimeOffset.UtcNow < deadline)
            {
                if (acknowledgedAt.Where(t => t > fault).Order().FirstOrDefault() is var first && first != default)
                {
                    return (first - fault).TotalSeconds;
                }

                await Task.Delay(100, ct);
            }

            return double.NaN;
        }

        /// <summary>ACK, REFUSED (a rule's definitive answer) or GAVE_UP; retryable answers are retried with the same key.</summary>
        private async Task<string> RegisterWithRetries(RegistrationService.RegistrationServiceClient client, RegisterSubscriberRequest request, CancellationToken ct)
        {
            var until = DateTimeOffset.UtcNow + GiveUpAfter;
            var delay = TimeSpan.FromMilliseconds(200);
            while (DateTimeOffset.UtcNow < until)
            {
                try
                {
                    await client.RegisterSubscriberAsync(request, deadline: DateTime.UtcNow.AddSeconds(30), cancellationToken: ct);
                    acknowledgedAt.Enqueue(DateTimeOffset.UtcNow);
                    return "ACK";
                }
                catch (RpcException e) when (e.StatusCode is StatusCode.FailedPrecondition or StatusCode.InvalidArgument or StatusCode.PermissionDenied)
                {
                    return "REFUSED";
                }
                catch (RpcException e)
                {
                    var reason = e.GetRpcStatus()?.GetDetail<Google.Rpc.ErrorInfo>()?.Reason;
                    retries.AddOrUpdate(e.StatusCode + (reason is null ? "" : "/" + reason), 1, (_, n) => n + 1);
                    await Task.Delay(delay, ct);
                    delay = TimeSpan.FromMilliseconds(Math.Min(3000, delay.TotalMilliseconds * 2));
                }
            }

            return "GAVE_UP";
        }

        /// <summary>Lost: acknowledged but not readable as registered; duplicated: more than one registration decision recorded; missing: none recorded.</summary>
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
                    lost++;
                }

                await using var count = dataSource.CreateCommand(
                    "SELECT count(*) FROM audit_events WHERE phone_number = $1 AND event_type = 'REGISTRATION_DECIDED' AND decision IN ('APPROVED', 'PENDING_REVIEW')");
                count.Parameters.Add(new NpgsqlParameter { Value = request.PhoneNumber });
                var recorded = (long)(await count.ExecuteScalarAsync(ct))!;
                duplicated += recorded > 1 ? 1 : 0;
                missing += recorded == 0 ? 1 : 0;
            }

            return (lost, duplicated, missing);
        }

        private static async Task<GetSubscriberResponse?> ReadWithRetries(RegistrationService.RegistrationServiceClient client, string phone, CancellationToken ct)
        {
            for (var attempt = 0; attempt < 30; attempt++)
            {
                try
                {
                    return await client.GetSubscriberAsync(new GetSubscriberRequest { PhoneNumber = phone }, cancellationToken: ct);
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
                {
                    return null;
                }
                catch (RpcException)
                {
                    await Task.Delay(1000, ct);
                }
            }

            return null;
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
            if (!quiet && (await error).Length > 0)
            {
                await Console.Error.WriteAsync(await error);
            }

            return process.ExitCode == 0 ? await output : throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await error}");
        }

        private void Say(string message)
        {
            if (!quiet)
            {
                Console.Error.WriteLine($"[chaos] {message}");
            }
        }

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
