using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using RealName.Storage;
using RealName.Rules;
using RealName.Storage.Reads;

// Seeds a realistic audit log into a database and times the auditors' queries on it.
//
//   dotnet run -c Release --project tools/RealName.AuditBench -- [--events 1000000] [--connection "<npgsql connection string>"] [--keep]
//
// Without --connection it creates a fresh database on the private PostgreSQL (scripts/postgres.sh) and
// drops it afterwards unless --keep is given. With --connection it migrates that database and appends
// to its log (never use a production database: the seeded events are fake).
var events = 1_000_000;
string? connection = null;
var keep = false;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--events": events = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--connection": connection = args[++i]; break;
        case "--keep": keep = true; break;
        default:
            Console.Error.WriteLine($"unknown argument {args[i]}; usage: [--events N] [--connection CS] [--keep]");
            return 2;
    }
}

string? createdDatabase = null;
if (connection is null)
{
    var admin = Bench.PrivatePostgres();
    createdDatabase = "rn_bench_" + Guid.NewGuid().ToString("N")[..10];
    await using (var c = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(admin) { Database = "postgres", Pooling = false }.ConnectionString))
    {
        await c.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{createdDatabase}\"", c);
        await create.ExecuteNonQueryAsync();
    }

    connection = new NpgsqlConnectionStringBuilder(admin) { Database = createdDatabase }.ConnectionString;
    Console.WriteLine($"fresh database {createdDatabase}");
}

try
{
    SchemaMigrator.Migrate(connection, NullLogger.Instance);
    await using var dataSource = NpgsqlDataSource.Create(connection);
    // Checkpoints signed with a key made for this run (one per seeded chunk), verified with its public key.
    using var checkpointKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    using var signer = new AuditCheckpointSigner(
        new AuditCheckpointOptions { SigningKey = Convert.ToBase64String(checkpointKey.ExportPkcs8PrivateKey()), EveryEvents = 1 }, TimeProvider.System);
    using var verifier = new AuditCheckpointVerifier(Convert.ToBase64String(checkpointKey.ExportSubjectPublicKeyInfo()));
    var log = new AuditLog(dataSource, signer);
    var reports = new AuditReports(dataSource, CivilCalendar.Default, verifier);

    var seeding = Stopwatch.StartNew();
    var generator = new Generator(seed: 20260101);
    var written = 0;
    const int chunk = 100_000;
    using var stream = generator.Events(events).GetEnumerator();
    while (written < events)
    {
        var batch = new List<AuditEvent>(chunk);
        while (batch.Count < chunk && written + batch.Count < events && stream.MoveNext())
        {
            batch.Add(stream.Current);
        }

        if (batch.Count == 0)
        {
            break;
        }

        await log.AppendBatchAsync(batch);
        written += batch.Count;
        Console.Write($"\rseeded {written:N0} events");
    }

    Console.WriteLine($"\rseeded {written:N0} events in {seeding.Elapsed.TotalSeconds:0.0} s ({generator.Registrations:N0} registrations, {Generator.Outlets} outlets, {Generator.Outlets * Generator.ClerksPerOutlet} clerks)");
    await using (var analyze = dataSource.CreateCommand("VACUUM ANALYZE audit_events"))
    {
        await analyze.ExecuteNonQueryAsync();
    }

    var month = new ReportQuery(
        new DateTimeOffset(2026, 3, 1, 0, 0, 0, CivilCalendar.Default.UtcOffset),
        new DateTimeOffset(2026, 4, 1, 0, 0, 0, CivilCalendar.Default.UtcOffset),
        ReportBucket.Month,
        ReportDimension.Outlet);
    var monthTimes = new List<double>();
    ConsistencyReportData? report = null;
    for (var run = 0; run < 5; run++)
    {
        var sw = Stopwatch.StartNew();
        report = await reports.GetConsistencyReportAsync(month);
        monthTimes.Add(sw.Elapsed.TotalMilliseconds);
    }

    Console.WriteLine($"month report per outlet (2026-03, {report!.Rows.Count} rows, {report.Total.Registrations:N0} registrations, rate {report.Total.ConsistencyRate:P2}): " +
        $"first {monthTimes[0]:0} ms, median {Bench.Median(monthTimes):0} ms (goal < 1000 ms)");

    var half = month with { From = new DateTimeOffset(2026, 1, 1, 0, 0, 0, CivilCalendar.Default.UtcOffset), To = new DateTimeOffset(2026, 7, 1, 0, 0, 0, CivilCalendar.Default.UtcOffset) };
    var halfWatch = Stopwatch.StartNew();
    var halfReport = await reports.GetConsistencyReportAsync(half);
    Console.WriteLine($"six-month report by month and outlet ({halfReport.Rows.Count} rows, whole log): {halfWatch.Elapsed.TotalMilliseconds:0} ms");

    var random = new Random(7);
    var traceTimes = new List<double>();
    var traced = 0;
    for (var run = 0; run < 50; run++)
    {
        var phone = Generator.Phone(random.Next(generator.Registrations));
        var sw = Stopwatch.StartNew();
        var trace = await reports.TraceNumberAsync(phone);
        traceTimes.Add(sw.Elapsed.TotalMilliseconds);
        traced += trace.Events.Count;
    }

    traceTimes.Sort();
    Console.WriteLine($"TraceNumber (50 random numbers, {traced / 50.0:0.0} events each): median {Bench.Median(traceTimes):0.0} ms, p95 {traceTimes[(int)(traceTimes.Count * 0.95)]:0.0} ms, max {traceTimes[^1]:0.0} ms (goal < 50 ms)");

    var verify = await reports.VerifyChainAsync();
    Console.WriteLine($"VerifyAuditChain: {(verify.Intact ? "intact" : "BROKEN at " + verify.FirstBreak)}, {verify.RowsChecked:N0} rows and {verify.CheckpointsChecked:N0} signed checkpoints in {verify.Elapsed.TotalSeconds:0.0} s ({verify.RowsChecked / verify.Elapsed.TotalSeconds:N0} rows/s)");
    return 0;
}
finally
{
    if (createdDatabase is not null && !keep)
    {
        NpgsqlConnection.ClearAllPools();
        var admin = Bench.PrivatePostgres();
        await using var c = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(admin) { Database = "postgres", Pooling = false }.ConnectionString);
        await c.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{createdDatabase}\" WITH (FORCE)", c);
        await drop.ExecuteNonQueryAsync();
        Console.WriteLine($"dropped {createdDatabase}");
    }
    else if (createdDatabase is not null)
    {
        Console.WriteLine($"kept database {createdDatabase}");
    }
}

internal static class Bench
{
    public static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    /// <summary>The private PostgreSQL of scripts/postgres.sh (started if needed), found above the current directory.</summary>
    public static string PrivatePostgres()
    {
        var dir = new DirectoryInfo(Environment.CurrentDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "RealName.sln")))
        {
            dir = dir.Parent;
        }

        if (dir is null)
        {
            throw new InvalidOperationException("run inside the repository, or pass --connection");
        }

        var script = Path.Combine(dir.FullName, "scripts", "postgres.sh");
        Run(script, "start");
        return Run(script, "connection-string").Trim();
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

/// <summary>
/// A realistic mix: 200 outlets (5 clerks each) over 5 carriers/MVNOs and 10 regions, six months of 2026,
/// ~90% approved at once, ~4% to manual review, ~6% refused; later re-reviews, suspensions, restorations,
/// cancellations and fraud reports, in time order. A few outlets have a poor consistency rate.
/// </summary>
internal sealed class Generator(int seed)
{
    public const int Outlets = 200;
    public const int ClerksPerOutlet = 5;
    private static readonly string[] Carriers = ["cmcc", "cucc", "ctcc", "mvno-a", "mvno-b"];
    private static readonly string[] Regions = ["110000", "310000", "440100", "440300", "330100", "320100", "510100", "420100", "610100", "500000"];
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.FromHours(8));
    private static readonly TimeSpan Span = TimeSpan.FromDays(181);

    private readonly Random random = new(seed);

    public int Registrations { get; private set; }

    public static string Phone(int index) => (13_000_000_000L + index).ToString(CultureInfo.InvariantCulture);

    public IEnumerable<AuditEvent> Events(int count)
    {
        // ~1.23 events per registration on average; registrations continue until the count is reached.
        var registrations = (int)(count / 1.23);
        var pending = new PriorityQueue<AuditEvent, DateTimeOffset>();
        var quality = Enumerable.Range(0, Outlets).Select(o => o % 37 == 5 ? 0.82 : 0.955 + ((random.NextDouble() - 0.5) * 0.03)).ToArray();
        var emitted = 0;
        for (var i = 0; emitted < count; i++)
        {
            var at = Start + (Span * ((double)i / registrations));
            while (pending.TryPeek(out _, out var due) && due <= at)
            {
                yield return pending.Dequeue();
                emitted++;
            }

            Registrations = i + 1;
            var outlet = random.Next(Outlets);
            var online = outlet >= 170;
            var template = new AuditEvent
            {
                EventId = Guid.NewGuid(),
                OccurredAt = at,
                EventType = AuditEventTypes.RegistrationDecided,
                PhoneNumber = Phone(i),
                IdentityKey = "ik-" + (i / 2).ToString("x8", CultureInfo.InvariantCulture),
                CarrierId = Carriers[outlet % Carriers.Length],
                ChannelKind = online ? "ONLINE" : "RETAIL",
                Region = Regions[outlet % Regions.Length],
                OutletId = "OUT-" + outlet.ToString("D3", CultureInfo.InvariantCulture),
                ClerkId = "CLK-" + outlet.ToString("D3", CultureInfo.InvariantCulture) + "-" + random.Next(ClerksPerOutlet).ToString(CultureInfo.InvariantCulture),
                DeviceId = "DEV-" + outlet.ToString("D3", CultureInfo.InvariantCulture) + "-" + random.Next(3).ToString(CultureInfo.InvariantCulture),
                CardType = random.NextDouble() switch { < 0.90 => "PERSONAL", < 0.97 => "CORPORATE", _ => "IOT" },
                ModelVersion = "arcface-r100-2026.1",
                Actor = "clerk",
                Caller = "bench-channel-key",
            };
            template = template with { Actor = template.ClerkId! };

            var roll = random.NextDouble();
            AuditEvent registration;
            if (roll < 0.03)
            {
                // Quality gate refused an image: no comparison.
                registration = template with { Decision = AuditDecisions.Refused, FaceCompared = false, FaceDecision = "REJECTED", Reasons = [random.NextDouble() < 0.5 ? "NO_FACE" : "TOO_BLURRY"] };
            }
            else if (roll < 0.04)
            {
                registration = template with { Decision = AuditDecisions.Refused, FaceCompared = true, FaceDecision = "MATCH", FaceScore = 0.8, Reasons = ["IDENTITY_LIMIT_EXCEEDED"] };
            }
            else if (random.NextDouble() > quality[outlet])
            {
                registration = random.NextDouble() < 0.6
                    ? template with { Decision = AuditDecisions.Refused, FaceCompared = true, FaceDecision = "NO_MATCH", FaceScore = 0.2 + (random.NextDouble() * 0.2), Reasons = ["FACE_MISMATCH"] }
                    : template with { Decision = AuditDecisions.PendingReview, FaceCompared = true, FaceDecision = "REVIEW", FaceScore = 0.45 + (random.NextDouble() * 0.1), StatusAfter = "PENDING_REVIEW" };
            }
            else
            {
                registration = template with { Decision = AuditDecisions.Approved, FaceCompared = true, FaceDecision = "MATCH", FaceScore = 0.7 + (random.NextDouble() * 0.3), StatusAfter = "ACTIVE" };
            }

            yield return registration;
            emitted++;
            FollowUps(registration, pending);
        }

        while (emitted < count && pending.TryDequeue(out var late, out _))
        {
            yield return late;
            emitted++;
        }
    }

    private void FollowUps(AuditEvent registration, PriorityQueue<AuditEvent, DateTimeOffset> pending)
    {
        var at = registration.OccurredAt;
        AuditEvent Next(string type, TimeSpan after, string actor) => registration with
        {
            EventId = Guid.NewGuid(), EventType = type, OccurredAt = at += after, Actor = actor, Decision = null, FaceCompared = false,
            FaceDecision = null, FaceScore = null, Reasons = [], StatusAfter = null,
        };
        void Add(AuditEvent e) => pending.Enqueue(e, e.OccurredAt);

        if (registration.Decision == AuditDecisions.PendingReview)
        {
            var approve = random.NextDouble() < 0.75;
            Add(Next(AuditEventTypes.ReviewDecided, TimeSpan.FromHours(2), "reviewer-" + random.Next(12).ToString(CultureInfo.InvariantCulture)) with
            {
                Decision = approve ? AuditDecisions.Approved : AuditDecisions.Rejected,
                StatusAfter = approve ? "ACTIVE" : "REJECTED",
                Reasons = [approve ? "SAME_PERSON" : "DIFFERENT_PERSON"],
                Details = "{\"case_kind\":\"REGISTRATION\"}",
            });
            return;
        }

        if (registration.Decision != AuditDecisions.Approved)
        {
            return;
        }

        var roll = random.NextDouble();
        if (roll < 0.012)
        {
            Add(Next(AuditEventTypes.FraudReported, TimeSpan.FromDays(3 + random.Next(30)), "risk-ops"));
            ReReview(Next, Add, "FRAUD_REPORT");
        }
        else if (roll < 0.09)
        {
            ReReview(Next, Add, random.NextDouble() < 0.5 ? "SIM_REPLACEMENT" : "DORMANT_REACTIVATION");
        }
        else if (roll < 0.11)
        {
            Add(Next(AuditEventTypes.Cancelled, TimeSpan.FromDays(10 + random.Next(60)), "holder") with { Reasons = ["CANCELLED_BY_HOLDER"], StatusAfter = "CANCELLED" });
        }
    }

    private void ReReview(Func<string, TimeSpan, string, AuditEvent> next, Action<AuditEvent> add, string trigger)
    {
        add(next(AuditEventTypes.ReReviewTriggered, TimeSpan.FromDays(5 + random.Next(40)), "system") with { Reasons = [trigger], StatusAfter = "RE_REVIEW_REQUIRED" });
        var outcome = random.NextDouble();
        if (outcome < 0.78)
        {
            add(next(AuditEventTypes.ReReviewDecided, TimeSpan.FromHours(5), "holder") with { Decision = AuditDecisions.Passed, FaceCompared = true, FaceDecision = "MATCH", FaceScore = 0.8, StatusAfter = "ACTIVE" });
        }
        else if (outcome < 0.88)
        {
            add(next(AuditEventTypes.ReReviewDecided, TimeSpan.FromHours(6), "holder") with { Decision = AuditDecisions.Failed, FaceCompared = true, FaceDecision = "NO_MATCH", FaceScore = 0.2, Reasons = ["FACE_MISMATCH"], StatusAfter = "SUSPENDED" });
            add(next(AuditEventTypes.Suspended, TimeSpan.FromSeconds(1), "system") with { Reasons = ["RE_REVIEW_FAILED"], StatusAfter = "SUSPENDED" });
        }
        else
        {
            add(next(AuditEventTypes.Suspended, TimeSpan.FromHours(24), "system") with { Reasons = ["RE_REVIEW_OVERDUE"], StatusAfter = "SUSPENDED" });
            if (random.NextDouble() < 0.5)
            {
                add(next(AuditEventTypes.ReReviewDecided, TimeSpan.FromDays(2), "holder") with { Decision = AuditDecisions.Passed, FaceCompared = true, FaceDecision = "MATCH", FaceScore = 0.8, StatusAfter = "ACTIVE" });
                add(next(AuditEventTypes.Restored, TimeSpan.FromSeconds(1), "system") with { Reasons = ["RE_REVIEW_PASSED"], StatusAfter = "ACTIVE" });
            }
        }
    }
}
