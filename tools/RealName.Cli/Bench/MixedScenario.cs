namespace RealName.Cli.Bench;

/// <summary>
/// A day at the counters, in tenths of the requests: 2 registrations with faces, 3 without (IoT cards), 3 look-ups,
/// 1 re-review answer, 1 auditor report. Each outcome is prefixed with the scenario that produced it.
/// </summary>
internal sealed class MixedScenario : BenchScenario
{
    private readonly BenchScenario[] tenths;
    private readonly BenchScenario[] parts;

    public MixedScenario(BenchClients clients, int run, int enterprises)
    {
        var faces = new FacesScenario(clients, run);
        var policy = new PolicyScenario(clients, run, enterprises);
        var lookup = new LookupScenario(new PolicyScenario(clients, run, enterprises), clients);
        var reReview = new ReReviewScenario(clients, run);
        var report = new ReportScenario(clients);
        parts = [faces, policy, lookup, reReview, report];
        tenths = [faces, faces, policy, policy, policy, lookup, lookup, lookup, reReview, report];
    }

    public override string Name => "mixed";

    public override async Task SetUpAsync(int workers, CancellationToken ct)
    {
        foreach (var part in parts)
        {
            await part.SetUpAsync(workers, ct);
        }
    }

    public override Task PrepareAsync(int worker, int index, CancellationToken ct) => Part(index).PrepareAsync(worker, index, ct);

    public override async Task<string> SendAsync(int worker, int index, CancellationToken ct)
    {
        var part = Part(index);
        return part.Name + ":" + await part.SendAsync(worker, index, ct);
    }

    private BenchScenario Part(int index) => tenths[index % tenths.Length];
}
