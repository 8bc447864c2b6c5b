using System.CommandLine;
using RealName.Cli.Bench;
using RealName.Cli.Commands;
using RealName.Face;

// `realname <group> <command>`: each subcommand group lives in its own file under Commands/.
var root = new RootCommand("RealName command-line tools");
root.Subcommands.Add(FaceCommands.Create());
root.Subcommands.Add(GridCommands.Create());
root.Subcommands.Add(BenchCommand.Create());
root.Subcommands.Add(KeyCommands.Create());
root.Subcommands.Add(CallerCommands.Create());
try
{
    return await root.Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }).ConfigureAwait(false);
}
catch (FaceModelException ex)
{
    // Missing/corrupt model or calibration: say what to do, no stack trace.
    await Console.Error.WriteLineAsync(ex.Message).ConfigureAwait(false);
    return 3;
}
catch (ArgumentException ex)
{
    // A flag with a value out of range or a missing setting: the message says which; a stack trace would hide it.
    await Console.Error.WriteLineAsync($"realname: {ex.Message}").ConfigureAwait(false);
    return 2;
}
