using Spectre.Console;

namespace RealName.Cli;

/// <summary>
/// Progress of a long command, on stderr so stdout stays the result: Spectre.Console bars on a terminal (a line per
/// change elsewhere, Spectre's fallback), and nothing at all when the command was asked for --json.
/// </summary>
internal sealed class CliProgress
{
    private readonly ProgressContext? context;

    private CliProgress(ProgressContext? context) => this.context = context;

    /// <summary>Runs <paramref name="work"/> with bars it adds by <see cref="Bar"/>; <paramref name="quiet"/> shows none.</summary>
    public static async Task<T> RunAsync<T>(bool quiet, Func<CliProgress, Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (quiet)
        {
            return await work(new CliProgress(null)).ConfigureAwait(false);
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        return await console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async context => await work(new CliProgress(context)).ConfigureAwait(false))
            .ConfigureAwait(false);
    }

    /// <summary>As <see cref="RunAsync{T}"/>, for work without a result.</summary>
    public static Task RunAsync(bool quiet, Func<CliProgress, Task> work) =>
        RunAsync(quiet, async progress =>
        {
            await work(progress).ConfigureAwait(false);
            return true;
        });

    /// <summary>A new bar; report (done, total) to it from any thread.</summary>
    public Action<int, int> Bar(string description)
    {
        var task = context?.AddTask(Markup.Escape(description), maxValue: 1);
        return (done, total) =>
        {
            if (task is not null)
            {
                task.MaxValue = Math.Max(1, total);
                task.Value = done;
            }
        };
    }
}
