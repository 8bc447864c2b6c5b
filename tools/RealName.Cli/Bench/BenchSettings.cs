using System.Globalization;

namespace RealName.Cli.Bench;

/// <summary>What one `realname bench` run does (parsed and checked from the command line).</summary>
internal sealed record BenchSettings(
    string Address,
    ScenarioKind Scenario,
    IReadOnlyList<int> Concurrency,
    BenchLimit Limit,
    bool Baselines,
    TimeSpan BaselineDuration,
    int Enterprises,
    BenchKeys Keys,
    string? OwnerConnection)
{
    /// <summary>
    /// How long the scenario runs untimed before the first measured level (at the sweep's highest concurrency): a grid
    /// started just before spends a tenth of its CPU on the JIT's tiered recompilation for about a minute.
    /// </summary>
    public TimeSpan Warmup { get; init; }

    /// <summary>Rounds of the engine alone then the grid, back to back, after the sweep (<see cref="PairedRound"/>).</summary>
    public int PairedRounds { get; init; }

    /// <summary>Paired rounds need the engine (--baselines) and a duration per level (each half of a round is timed).</summary>
    public static int CheckPairedRounds(int rounds, bool baselines, int? requests) => rounds switch
    {
        0 => 0,
        < 0 or > 100 => throw new ArgumentException("--paired-rounds: between 0 and 100"),
        _ when !baselines => throw new ArgumentException("--paired-rounds: needs --baselines (each round measures the engine alone)"),
        _ when requests is not null => throw new ArgumentException("--paired-rounds: give --duration, not --requests (each half of a round is timed)"),
        _ => rounds,
    };

    /// <summary>"8" or a sweep "1,2,4,8" (each at least 1, at most 4096, in the order given).</summary>
    public static IReadOnlyList<int> ParseConcurrency(string text)
    {
        var levels = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(t => int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 4096
                ? n
                : throw new ArgumentException($"--concurrency: '{t}' is not a number of calls between 1 and 4096"))
            .ToList();
        return levels.Count > 0 ? levels : throw new ArgumentException("--concurrency: give a number or a list such as 1,2,4,8");
    }

    /// <summary>"faces", "policy", "rereview", "lookup", "report" or "mixed".</summary>
    public static ScenarioKind ParseScenario(string text) =>
        Enum.TryParse<ScenarioKind>(text.Replace("-", "", StringComparison.Ordinal), ignoreCase: true, out var kind) && Enum.IsDefined(kind)
            ? kind
            : throw new ArgumentException($"--scenario: '{text}' is not one of {string.Join(", ", Enum.GetNames<ScenarioKind>().Select(n => n.ToLowerInvariant()))}");

    /// <summary>A request count per level, else a duration per level (default 10 s); not both.</summary>
    public static BenchLimit ParseLimit(int? requests, TimeSpan? duration) => (requests, duration) switch
    {
        ({ }, { }) => throw new ArgumentException("--requests and --duration: give one of them"),
        ({ } n, null) when n < 0 => throw new ArgumentException("--requests: at least 0"),
        ({ } n, null) => new BenchLimit(n, TimeSpan.Zero),
        (null, { } d) when d <= TimeSpan.Zero => throw new ArgumentException("--duration: longer than 0"),
        (null, { } d) => new BenchLimit(null, d),
        _ => new BenchLimit(null, TimeSpan.FromSeconds(10)),
    };
}
