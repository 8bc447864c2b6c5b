using System.ComponentModel.DataAnnotations;

namespace RealName.Grains.DueWork;

/// <summary>How the sweepers work through the subscribers' due work, bound from configuration section "DueWork".</summary>
public sealed class DueWorkOptions
{
    public const string Section = "DueWork";

    /// <summary>How often each sweeper looks for due rows: due work is done at most about this long after it is due.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00", ErrorMessage = "DueWork:SweepInterval must be between {1} and {2}.")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Due rows a sweeper reads at a time (it reads again at once while batches come back full).</summary>
    [Range(1, 10_000, ErrorMessage = "DueWork:BatchSize must be between {1} and {2}.")]
    public int BatchSize { get; set; } = 500;

    /// <summary>Calls to subscriber grains one sweeper has in flight at most.</summary>
    [Range(1, 256, ErrorMessage = "DueWork:Concurrency must be between {1} and {2}.")]
    public int Concurrency { get; set; } = 16;
}
