using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using RealName.Grains.Subscribers;
using RealName.Silo;

// Memory per idle subscriber activation: a real silo in this process (the grid's own setup, on a fresh
// database of the private PostgreSQL), --count subscriber grains activated with GetRecord (numbers never
// registered: each activation reads its absent state from PostgreSQL and stays idle), then the managed heap
// after a full collection, before and after, divided by the count.
//
//   dotnet run -c Release --project tools/RealName.ActivationBench -- [--count 100000] [--concurrency 64] [--setting Key=Value ...]
//
// --setting passes silo configuration (e.g. Orleans' GrainCollectionOptions through its own binding).
var count = 100_000;
var concurrency = 64;
var settings = new Dictionary<string, string?>();
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--count": count = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--concurrency": concurrency = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--setting":
            var pair = args[++i].Split('=', 2);
            settings[pair[0]] = pair[1];
            break;
        default:
            Console.Error.WriteLine($"unknown argument {args[i]}; usage: [--count N] [--concurrency N] [--setting Key=Value]");
            return 2;
    }
}

var admin = Environment.GetEnvironmentVariable("REALNAME_TEST_CONNECTION")
    ?? throw new InvalidOperationException("set REALNAME_TEST_CONNECTION (scripts/postgres.sh connection-string) to the private PostgreSQL");
var database = "rn_activations_" + Guid.NewGuid().ToString("N")[..10];
await Sql(admin, $"CREATE DATABASE \"{database}\"");
var connection = new NpgsqlConnectionStringBuilder(admin) { Database = database }.ConnectionString;
try
{
    var builder = Host.CreateApplicationBuilder();
    builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["ConnectionStrings:RealName"] = connection,
        ["ConnectionStrings:RealNameOwner"] = connection,
        ["Sealing:MasterKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        ["Cluster:ClusterId"] = database,
        ["Cluster:SiloPort"] = "21442",
        ["Cluster:GatewayPort"] = "31442",
        ["Logging:LogLevel:Default"] = "Warning",
    }.Concat(settings));
    builder.AddRealNameSilo();
    using var host = builder.Build();
    await host.StartAsync();
    var grains = host.Services.GetRequiredService<IGrainFactory>();

    // Warm up: the first activations load the grain types, serializers and connection pool.
    await Activate(grains, 0, 2_000, concurrency);
    var before = Heap();
    var workingSetBefore = Environment.WorkingSet;
    var clock = Stopwatch.StartNew();
    await Activate(grains, 2_000, count, concurrency);
    var elapsed = clock.Elapsed;
    var after = Heap();
    var workingSetAfter = Environment.WorkingSet;
    var active = await grains.GetGrain<IManagementGrain>(0).GetTotalActivationCount();

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{count:N0} idle subscriber activations in {elapsed.TotalSeconds:F1} s ({count / elapsed.TotalSeconds:F0}/s); {active:N0} activations in the silo"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"managed heap {before / 1048576.0:F1} -> {after / 1048576.0:F1} MiB: {(after - before) / (double)count:F0} bytes per activation"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"working set {workingSetBefore / 1048576.0:F1} -> {workingSetAfter / 1048576.0:F1} MiB: {(workingSetAfter - workingSetBefore) / (double)count:F0} bytes per activation"));
    await host.StopAsync();
    return 0;
}
finally
{
    await Sql(admin, $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");
}

static async Task Activate(IGrainFactory grains, int from, int count, int concurrency) =>
    await Parallel.ForEachAsync(Enumerable.Range(from, count), new ParallelOptions { MaxDegreeOfParallelism = concurrency },
        async (i, _) => await grains.GetGrain<ISubscriberGrain>(string.Create(CultureInfo.InvariantCulture, $"170{i:D8}")).GetRecord());

static long Heap()
{
    for (var i = 0; i < 3; i++)
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
    }

    return GC.GetTotalMemory(forceFullCollection: true);
}

static async Task Sql(string admin, string sql)
{
    await using var c = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(admin) { Database = "postgres", Pooling = false }.ConnectionString);
    await c.OpenAsync();
    await using var command = new NpgsqlCommand(sql, c);
    await command.ExecuteNonQueryAsync();
}
