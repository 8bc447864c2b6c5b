using System.Text;

namespace RealName.IntegrationTests.Infrastructure;

/// <summary>
/// Keeps everything the grid logs during a test run when REALNAME_TEST_LOG_DIR is set (scripts/test.sh sets it):
/// this test process's console (the in-process gateways and TestingHost silos log there) and the output of every
/// silo process. <see cref="RunLogScanTests"/> searches them for personal data after the run.
/// </summary>
internal static class RunLogs
{
    private static readonly Lazy<bool> Teed = new(TeeConsole);

    /// <summary>Where the run's logs go; null when they are not kept.</summary>
    public static string? Folder => Environment.GetEnvironmentVariable("REALNAME_TEST_LOG_DIR") is { Length: > 0 } folder ? folder : null;

    /// <summary>Copies this process's console into the run's log folder from now on (before any logger is built).</summary>
    public static void Start() => _ = Teed.Value;

    /// <summary>A log file of the run for one silo process; null when logs are not kept.</summary>
    public static TextWriter? ForProcess(string name) => Folder is { } folder ? Open(Path.Combine(folder, $"{name}.log")) : null;

    private static bool TeeConsole()
    {
        if (ForProcess($"testhost-{Environment.ProcessId}") is not { } file)
        {
            return false;
        }

        Console.SetOut(new Tee(Console.Out, file));
        Console.SetError(new Tee(Console.Error, file));
        return true;
    }

    private static TextWriter Open(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return TextWriter.Synchronized(new StreamWriter(path, append: true, new UTF8Encoding(false)) { AutoFlush = true });
    }

    /// <summary>Writes to the console and to the run's file.</summary>
    private sealed class Tee(TextWriter console, TextWriter file) : TextWriter
    {
        public override Encoding Encoding => console.Encoding;

        public override void Write(char value)
        {
            console.Write(value);
            file.Write(value);
        }

        public override void Write(string? value)
        {
            console.Write(value);
            file.Write(value);
        }

        public override void Write(char[] buffer, int index, int count)
        {
            console.Write(buffer, index, count);
            file.Write(buffer, index, count);
        }

        public override void WriteLine(string? value)
        {
            console.WriteLine(value);
            file.WriteLine(value);
        }

        public override void Flush()
        {
            console.Flush();
            file.Flush();
        }
    }
}
