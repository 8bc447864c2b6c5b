using System.Collections.Concurrent;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using RealName.Contracts.V1;
using RealName.Face;

namespace RealName.Cli.Commands;

/// <summary>`realname grid ...`: drive a running grid over gRPC.</summary>
internal static class GridCommands
{
    internal static readonly Option<string> AddressOption = new("--address") { Description = "gRPC address of the gateway", DefaultValueFactory = _ => "http://127.0.0.1:50051" };
    internal static readonly Option<string?> KeyOption = new("--key") { Description = "API key (default: REALNAME_API_KEY)" };

    public static Command Create()
    {
        var grid = new Command("grid", "Calls against a running grid");
        grid.Subcommands.Add(LoadCommand());
        grid.Subcommands.Add(ChaosCommand.Create());
        return grid;
    }

    /// <summary>
    /// Registers many new numbers (each with a new identity) with the shared ID-card photos, from several
    /// concurrent callers, and prints throughput and latency percentiles: the whole path (gateway, grains,
    /// face engine, audit log, PostgreSQL) under load.
    /// </summary>
    private static Command LoadCommand()
    {
        var count = new Option<int>("--registrations") { Description = "How many registrations", DefaultValueFactory = _ => 200 };
        var concurrency = new Option<int>("--concurrency") { Description = "Calls in flight", DefaultValueFactory = _ => 8 };
        var json = new Option<bool>("--json") { Description = "Print one JSON object" };
        var command = new Command("load", "Load test: concurrent registrations end to end") { AddressOption, KeyOption, count, concurrency, json };
        command.SetAction(async (r, ct) =>
        {
            var key = ApiKey(r, "a RETAIL_TERMINAL key for carrier cmcc");
            var total = r.GetValue(count);
            var inFlight = Math.Max(1, r.GetValue(concurrency));
            var data = SharedPaths.DataRoot();
            var portrait = ByteString.CopyFrom(await File.ReadAllBytesAsync(Path.Combine(data, "idcards/foamliu/id_card.jpg"), ct));
            var live = ByteString.CopyFrom(await File.ReadAllBytesAsync(Path.Combine(data, "faces/foamliu_idcard/photo_1.jpg"), ct));

            using var channel = GrpcChannel.ForAddress(r.GetValue(AddressOption)!);
            var client = new RegistrationService.RegistrationServiceClient(WithKey(channel, key));
            var run = Random.Shared.Next(100, 999);
            var latencies = new ConcurrentBag<double>();
            var outcomes = new ConcurrentDictionary<string, int>();
            var next = -1;
            var clock = Stopwatch.StartNew();
            var finished = 0;
            await CliProgress.RunAsync(r.GetValue(json), progress =>
            {
                var bar = progress.Bar("registrations");
                bar(0, total);
                return Task.WhenAll(Enumerable.Range(0, inFlight).Select(async _ =>
                {
                    for (var i = Interlocked.Increment(ref next); i < total; i = Interlocked.Increment(ref next))
                    {
                        var request = Registration(run, i, portrait, live);
                        var started = Stopwatch.GetTimestamp();
                        string outcome;
                        try
                        {
                            var response = await client.RegisterSubscriberAsync(request, cancellationToken: ct);
                            outcome = response.Subscriber.Status.ToString();
                        }
                        catch (RpcException e)
                        {
                            outcome = e.StatusCode + (e.GetRpcStatus()?.GetDetail<Google.Rpc.ErrorInfo>() is { } info ? "/" + info.Reason : "");
                        }

                        latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                        outcomes.AddOrUpdate(outcome, 1, (_, n) => n + 1);
                        bar(Interlocked.Increment(ref finished), total);
                    }
                }));
            });
            var seconds = clock.Elapsed.TotalSeconds;
            var sorted = latencies.Order().ToArray();
            double Percentile(double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
            var result = new
            {
                registrations = total,
                concurrency = inFlight,
                seconds = Math.Round(seconds, 2),
                per_second = Math.Round(total / seconds, 1),
                p50_ms = Math.Round(Percentile(0.50), 1),
                p95_ms = Math.Round(Percentile(0.95), 1),
                p99_ms = Math.Round(Percentile(0.99), 1),
                max_ms = Math.Round(sorted.LastOrDefault(), 1),
                outcomes,
            };
            Console.WriteLine(r.GetValue(json)
                ? JsonSerializer.Serialize(result)
                : string.Create(CultureInfo.InvariantCulture,
                    $"{total} registrations, {inFlight} in flight: {result.per_second}/s; latency p50 {result.p50_ms} ms, p95 {result.p95_ms} ms, p99 {result.p99_ms} ms, max {result.max_ms} ms\noutcomes: {string.Join(", ", outcomes.Select(o => $"{o.Key} {o.Value}"))}"));
            return outcomes.Keys.All(k => k.StartsWith("Active", StringComparison.Ordinal)) ? 0 : 1;
        });
        return command;
    }

    /// <summary>--key, else REALNAME_API_KEY.</summary>
    internal static string ApiKey(ParseResult r, string what) =>
        r.GetValue(KeyOption) ?? Environment.GetEnvironmentVariable("REALNAME_API_KEY")
            ?? throw new InvalidOperationException($"--key or REALNAME_API_KEY ({what}) is required");

    /// <summary>Calls through the returned invoker carry the API key.</summary>
    internal static CallInvoker WithKey(GrpcChannel channel, string key) => channel.Intercept(m =>
    {
        m.Add("x-api-key", key);
        return m;
    });

    /// <summary>A registration of a new number and a new identity (index within a run), with a stable idempotency key.</summary>
    internal static RegisterSubscriberRequest Registration(int run, int index, ByteString portrait, ByteString live)
    {
        // A new number and a new identity per registration, so no quota rule interferes; 100 simulated card readers
        // keep each device under the attempt limits (AttemptLimits:PerDevice*) at the grid's full rate.
        var phone = string.Create(CultureInfo.InvariantCulture, $"19{run:D3}{index:D6}");
        // Adults born 1950-1999: a distinct birth date per index, the run number as sequence code.
        var birth = new DateOnly(1950, 1, 1).AddDays(index % 18_000);
        var first17 = string.Create(CultureInfo.InvariantCulture, $"440305{birth:yyyyMMdd}{(run + (index / 18_000)) % 1000:D3}");
        int[] weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        var check = "10X98765432"[first17.Select((c, i) => (c - '0') * weights[i]).Sum() % 11];
        return new RegisterSubscriberRequest
        {
            PhoneNumber = phone,
            IdempotencyKey = $"load-{run}-{index:D8}",
            Customer = new PersonEvidence
            {
                Document = new IdentityDocument { Type = DocumentType.ResidentId, Number = first17 + check, Name = "压测", ValidUntil = "2036-01-01" },
                PortraitImage = portrait,
                LiveImage = live,
            },
            Channel = new ChannelContext { Kind = ChannelKind.Retail, CarrierId = "cmcc", Region = "440300", OutletId = $"LOAD-{index % 20:D2}", ClerkId = $"load-clerk-{index % 50:D2}", DeviceId = $"load-reader-{index % 100:D2}" },
            Consent = new FaceProcessingConsent
            {
                ConsentId = $"load-consent-{run}-{index:D8}",
                TextVersion = "load-1",
                ConsentedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddSeconds(-5)),
            },
            RiskNotice = new FraudRiskNotice
            {
                NoticeVersion = "load-1",
                AcknowledgedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddSeconds(-5)),
            },
        };
    }
}
