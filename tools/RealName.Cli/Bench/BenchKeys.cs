namespace RealName.Cli.Bench;

/// <summary>
/// The API keys of the roles a run acts as: a terminal (RETAIL_TERMINAL of carrier cmcc) registers and looks up, a
/// RISK_OPERATOR approves enterprises and starts re-reviews, an AUDITOR reads reports. Each comes from its option,
/// else (the terminal) REALNAME_API_KEY, else the local grid's secrets file (scripts/run-grid.sh writes one caller
/// per role there).
/// </summary>
internal sealed record BenchKeys(string? Terminal, string? Risk, string? Auditor)
{
    public static BenchKeys Resolve(string? terminal, string? risk, string? auditor, string? secretsFile)
    {
        var roles = ReadSecrets(secretsFile ?? DefaultSecretsFile());
        return new BenchKeys(
            terminal ?? Environment.GetEnvironmentVariable("REALNAME_API_KEY") ?? roles.GetValueOrDefault("RETAIL_TERMINAL"),
            risk ?? roles.GetValueOrDefault("RISK_OPERATOR"),
            auditor ?? roles.GetValueOrDefault("AUDITOR"));
    }

    /// <summary>$REALNAME_DATA/secrets.env, else data/secrets.env under the current directory.</summary>
    private static string DefaultSecretsFile() =>
        Path.Combine(Environment.GetEnvironmentVariable("REALNAME_DATA") is { Length: > 0 } data ? data : "data", "secrets.env");

    /// <summary>Role to key, from the Auth__Bootstrap__N__Role / __Key lines of a secrets file (none when it is missing).</summary>
    internal static Dictionary<string, string> ReadSecrets(string path)
    {
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return keys;
        }

        var values = File.ReadAllLines(path)
            .Select(line => line.Split('=', 2))
            .Where(parts => parts.Length == 2 && parts[0].StartsWith("Auth__Bootstrap__", StringComparison.Ordinal))
            .ToDictionary(parts => parts[0], parts => parts[1], StringComparer.Ordinal);
        foreach (var (name, role) in values.Where(v => v.Key.EndsWith("__Role", StringComparison.Ordinal)))
        {
            if (values.TryGetValue(name[..^"Role".Length] + "Key", out var key))
            {
                keys.TryAdd(role, key);
            }
        }

        return keys;
    }
}
