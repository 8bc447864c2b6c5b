namespace RealName.Face;

/// <summary>One labelled pair of a data set that is known to carry a wrong label, and why.</summary>
public sealed record LabelErratum(string Set, string PathA, string PathB, bool LabelledSame, string Reason)
{
    public bool Matches(string set, string a, string b) =>
        string.Equals(Set, set, StringComparison.Ordinal)
        && ((PathA == a && PathB == b) || (PathA == b && PathB == a));
}

/// <summary>
/// Known label errors in the evaluation sets (docs/face-label-errata.tsv). `realname face eval --errata` sets these
/// pairs aside and lists them, so a figure is always reported both as labelled and without the known errors, and a
/// pair is never dropped without its reason being printed next to the result.
/// </summary>
public static class LabelErrata
{
    private static readonly string[] Header = ["set", "path_a", "path_b", "labelled_same", "reason"];

    /// <summary>Reads <c>set path_a path_b labelled_same reason</c> (tab-separated, that header line first).</summary>
    public static IReadOnlyList<LabelErratum> Read(string file)
    {
        var lines = File.ReadAllLines(file);
        if (lines.Length == 0 || !lines[0].Split('\t').SequenceEqual(Header))
        {
            throw new FormatException($"{file}: the first line must be the header '{string.Join("\\t", Header)}'");
        }

        var result = new List<LabelErratum>();
        foreach (var (line, number) in lines.Select((l, i) => (l, i + 1)).Skip(1).Where(x => !string.IsNullOrWhiteSpace(x.l)))
        {
            var parts = line.Split('\t');
            if (parts.Length != Header.Length || parts[3] is not ("0" or "1") || string.IsNullOrWhiteSpace(parts[4]))
            {
                throw new FormatException($"{file}:{number}: expected {Header.Length} tab-separated fields, labelled_same 0 or 1, and a reason");
            }

            result.Add(new LabelErratum(parts[0], parts[1], parts[2], parts[3] == "1", parts[4]));
        }

        return result;
    }

    /// <summary>
    /// Splits a set's pairs into those kept and those set aside as known label errors. Only a pair whose label is the
    /// one the erratum names is set aside, so a corrected pairs file is not silently thinned.
    /// </summary>
    public static (IReadOnlyList<(string A, string B, bool Same)> Kept, IReadOnlyList<LabelErratum> SetAside) Apply(
        IReadOnlyList<LabelErratum> errata, string set, IReadOnlyList<(string A, string B, bool Same)> pairs)
    {
        var kept = new List<(string, string, bool)>();
        var setAside = new List<LabelErratum>();
        foreach (var pair in pairs)
        {
            var erratum = errata.FirstOrDefault(e => e.Matches(set, pair.A, pair.B) && e.LabelledSame == pair.Same);
            if (erratum is null)
            {
                kept.Add(pair);
            }
            else
            {
                setAside.Add(erratum);
            }
        }

        return (kept, setAside);
    }
}
