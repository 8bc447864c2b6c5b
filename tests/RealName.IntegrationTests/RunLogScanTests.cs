using System.Text.RegularExpressions;
using RealName.IntegrationTests.Infrastructure;
using RealName.Rules;

namespace RealName.IntegrationTests;

/// <summary>Runs only when REALNAME_SCAN_RUN_LOGS names a finished run's log folder (scripts/test.sh does, after the run).</summary>
public sealed class RunLogScanFactAttribute : FactAttribute
{
    public RunLogScanFactAttribute()
    {
        if (RunLogScanTests.Folder is null)
        {
            Skip = "scans the logs of a finished full run: scripts/test.sh runs it after the other tests";
        }
    }
}

/// <summary>
/// The logs of a whole test run (every silo process, and the in-process gateways and TestingHost silos, at the
/// levels they run at) hold no phone number, document number or person's name in clear. Everything the grid ever
/// logged while the suite registered, refused, reviewed, re-reviewed, cancelled and purged numbers is searched.
/// </summary>
public sealed partial class RunLogScanTests
{
    /// <summary>The names the test requests give people (Requests and the rule tests).</summary>
    private static readonly string[] PersonNames = ["王小明", "吴承恩", "周树人", "孙悟空", "李四", "李清照", "赵丽颖", "郑成功", "钱学森"];

    internal static string? Folder => Environment.GetEnvironmentVariable("REALNAME_SCAN_RUN_LOGS") is { Length: > 0 } folder ? folder : null;

    [RunLogScanFact]
    public void No_log_of_the_run_holds_a_phone_number_document_number_or_name_in_clear()
    {
        var files = Directory.GetFiles(Folder!, "*.log");
        var findings = new List<string>();
        var (lines, maskedNumbers) = (0, 0);
        foreach (var file in files)
        {
            foreach (var line in File.ReadLines(file))
            {
                lines++;
                maskedNumbers += MaskedNumber().Count(line);
                // The grid's own mask finds any mobile or resident ID number: a line it would change holds one in clear.
                if (PersonalDataMasks.InText(line) != line || PersonNames.Any(name => line.Contains(name, StringComparison.Ordinal)))
                {
                    findings.Add($"{Path.GetFileName(file)}: {PersonalDataMasks.InText(line)}");
                }
            }
        }

        Assert.True(findings.Count == 0, $"{findings.Count} log line(s) with personal data in clear (shown masked):\n{string.Join('\n', findings.Take(20))}");
        // Not vacuous: a full run's logs are here, from silo processes and this process's gateways, and they did
        // mention numbers, masked.
        Assert.Contains(files, f => Path.GetFileName(f).StartsWith("silo-", StringComparison.Ordinal));
        Assert.Contains(files, f => Path.GetFileName(f).StartsWith("testhost-", StringComparison.Ordinal));
        Assert.True(lines > 1_000, $"only {lines} log lines in {files.Length} files: not a full run");
        Assert.True(maskedNumbers > 100, $"only {maskedNumbers} masked numbers in {lines} lines");
    }

    // A masked mobile number as the logs show it: 3 digits, 6 stars, 2 digits.
    [GeneratedRegex(@"(?<![0-9])1[3-9][0-9]\*{6}[0-9]{2}(?![0-9])")]
    private static partial Regex MaskedNumber();
}
