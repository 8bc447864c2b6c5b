using RealName.Contracts.V1;

namespace RealName.Cli.Bench;

/// <summary>The scenarios `realname bench --scenario` knows.</summary>
internal enum ScenarioKind
{
    Faces,
    Policy,
    ReReview,
    Lookup,
    Report,
    Mixed,
}

/// <summary>
/// One kind of request a simulated terminal sends. <see cref="SetUpAsync"/> runs once before the load (not timed),
/// <see cref="PrepareAsync"/> before each request (not timed), <see cref="SendAsync"/> is the timed call; it returns
/// the outcome (e.g. the subscriber's status) or throws the call's RpcException.
/// </summary>
internal abstract class BenchScenario
{
    public abstract string Name { get; }

    /// <summary>Set-up for up to <paramref name="workers"/> terminals at once.</summary>
    public virtual Task SetUpAsync(int workers, CancellationToken ct) => Task.CompletedTask;

    public virtual Task PrepareAsync(int worker, int index, CancellationToken ct) => Task.CompletedTask;

    public abstract Task<string> SendAsync(int worker, int index, CancellationToken ct);

    public static BenchScenario Create(ScenarioKind kind, BenchClients clients, int run, int enterprises) => kind switch
    {
        ScenarioKind.Faces => new FacesScenario(clients, run),
        ScenarioKind.Policy => new PolicyScenario(clients, run, enterprises),
        ScenarioKind.ReReview => new ReReviewScenario(clients, run),
        ScenarioKind.Lookup => new LookupScenario(new PolicyScenario(clients, run, enterprises), clients),
        ScenarioKind.Report => new ReportScenario(clients),
        ScenarioKind.Mixed => new MixedScenario(clients, run, enterprises),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown scenario"),
    };

    /// <summary>The subscriber's status as an outcome name, e.g. ACTIVE or PENDING_REVIEW.</summary>
    protected static string Outcome(Subscriber subscriber) => subscriber.Status.ToString();
}

/// <summary>Registration with the face step: the shared photos in turn (full ID-card photo, chip-sized portrait).</summary>
internal sealed class FacesScenario(BenchClients clients, int run) : BenchScenario
{
    private readonly Lazy<BenchPhotos> photos = new(BenchPhotos.Load);

    public override string Name => "faces";

    public override Task SetUpAsync(int workers, CancellationToken ct)
    {
        _ = photos.Value;
        return Task.CompletedTask;
    }

    public override async Task<string> SendAsync(int worker, int index, CancellationToken ct)
    {
        var pairs = photos.Value.Registration;
        var response = await clients.Terminal.RegisterSubscriberAsync(BenchRequests.Registration(run, index, pairs[index % pairs.Count]), cancellationToken: ct);
        return Outcome(response.Subscriber);
    }
}

/// <summary>
/// Registration without the face step: IoT cards with directional data only of approved enterprises, spread over
/// many enterprises (each approved through the public API first) so no single enterprise grain is the bottleneck.
/// </summary>
internal sealed class PolicyScenario(BenchClients clients, int run, int enterpriseCount) : BenchScenario
{
    private Enterprise[] enterprises = [];

    public override string Name => "policy";

    public override async Task SetUpAsync(int workers, CancellationToken ct)
    {
        var all = Enumerable.Range(0, Math.Max(1, enterpriseCount)).Select(i => BenchRequests.Enterprise(run, i)).ToArray();
        await Parallel.ForEachAsync(all, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct }, async (enterprise, token) =>
            await clients.Risk.ApproveIotQuotaAsync(
                new ApproveIotQuotaRequest { Enterprise = enterprise, Quota = 10_000_000, AssessmentReference = $"bench-{run}" }, cancellationToken: token));
        enterprises = all;
    }

    public override async Task<string> SendAsync(int worker, int index, CancellationToken ct)
    {
        var response = await clients.Terminal.RegisterSubscriberAsync(BenchRequests.IotCard(run, index, enterprises[index % enterprises.Length]), cancellationToken: ct);
        return Outcome(response.Subscriber);
    }

    /// <summary>Registers numbers for a read scenario, outside the indices the load uses.</summary>
    public async Task<string[]> RegisterPoolAsync(int count, CancellationToken ct)
    {
        const int firstIndex = 900_000;
        await Parallel.ForEachAsync(Enumerable.Range(firstIndex, count), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct },
            async (index, token) => await SendAsync(0, index, token));
        return Enumerable.Range(firstIndex, count).Select(i => BenchRequests.PhoneNumber(run, i)).ToArray();
    }
}

/// <summary>GetSubscriber look-ups of numbers the set-up registered (policy path).</summary>
internal sealed class LookupScenario(PolicyScenario registrations, BenchClients clients) : BenchScenario
{
    private string[] numbers = [];

    public override string Name => "lookup";

    public override async Task SetUpAsync(int workers, CancellationToken ct)
    {
        await registrations.SetUpAsync(workers, ct);
        numbers = await registrations.RegisterPoolAsync(200, ct);
    }

    public override async Task<string> SendAsync(int worker, int index, CancellationToken ct) =>
        Outcome((await clients.Terminal.GetSubscriberAsync(new GetSubscriberRequest { PhoneNumber = numbers[index % numbers.Length] }, cancellationToken: ct)).Subscriber);
}

/// <summary>The auditors' consistency report over the last week, by day.</summary>
internal sealed class ReportScenario(BenchClients clients) : BenchScenario
{
    public override string Name => "report";

    public override async Task<string> SendAsync(int worker, int index, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        var response = await clients.Auditor.GetConsistencyReportAsync(new GetConsistencyReportRequest
        {
            From = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(now.AddDays(-7)),
            To = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(now.AddMinutes(1)),
            Bucket = TimeBucket.Day,
        }, cancellationToken: ct);
        return response.Rows.Count > 0 ? "ROWS" : "EMPTY";
    }
}
