namespace RealName.Face;

/// <summary>Finds the read-only shared folder (models and test data) that sits next to the repository.</summary>
public static class SharedPaths
{
    /// <summary>
    /// The shared root: REALNAME_SHARED if set, else the first <c>shared</c> folder holding <c>models</c> found
    /// walking up from the current directory and from <see cref="AppContext.BaseDirectory"/>. Null when none.
    /// </summary>
    public static string? FindSharedRoot()
    {
        var env = Environment.GetEnvironmentVariable("REALNAME_SHARED");
        if (!string.IsNullOrWhiteSpace(env))
        {
            return Path.GetFullPath(env);
        }

        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "shared");
                if (Directory.Exists(Path.Combine(candidate, "models")))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    /// <summary>Model folder: explicit setting, REALNAME_MODELS, then &lt;shared&gt;/models. Null when none is found.</summary>
    public static string? ResolveModelsPath(string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Path.GetFullPath(configured);
        }

        var env = Environment.GetEnvironmentVariable("REALNAME_MODELS");
        if (!string.IsNullOrWhiteSpace(env))
        {
            return Path.GetFullPath(env);
        }

        var shared = FindSharedRoot();
        return shared is null ? null : Path.Combine(shared, "models");
    }

    /// <summary>Data folder (<c>&lt;shared&gt;/data</c>); throws when the shared folder cannot be found.</summary>
    public static string DataRoot() =>
        Path.Combine(FindSharedRoot() ?? throw new DirectoryNotFoundException("shared folder not found; set REALNAME_SHARED"), "data");
}
