using RealName.Face;

namespace RealName.Face.Tests;

/// <summary>`realname face eval --errata`: known label errors are set aside only where they apply, and always named.</summary>
public sealed class LabelErrataTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("realname-errata-");

    public void Dispose() => _dir.Delete(true);

    private string Write(params string[] lines)
    {
        var file = Path.Combine(_dir.FullName, "errata.tsv");
        File.WriteAllLines(file, lines);
        return file;
    }

    [Fact]
    public void Only_the_named_pair_with_the_named_label_in_the_named_set_is_set_aside()
    {
        var errata = LabelErrata.Read(Write("set\tpath_a\tpath_b\tlabelled_same\treason", "lfw\tx/1.jpg\tx/2.jpg\t1\ttwo people"));
        (string, string, bool)[] pairs = [("x/2.jpg", "x/1.jpg", true), ("x/1.jpg", "x/2.jpg", false), ("x/1.jpg", "y/1.jpg", false)];

        var (kept, setAside) = LabelErrata.Apply(errata, "lfw", pairs);

        // Either order of the two paths matches; a pair already relabelled (same = 0) stays in.
        Assert.Equal([("x/1.jpg", "x/2.jpg", false), ("x/1.jpg", "y/1.jpg", false)], kept);
        Assert.Equal("two people", Assert.Single(setAside).Reason);
        var (otherSet, none) = LabelErrata.Apply(errata, "deepface", pairs);
        Assert.Equal(3, otherSet.Count);
        Assert.Empty(none);
    }

    [Theory]
    [InlineData("set\tpath_a\tpath_b\treason", "lfw\ta\tb\tx")]
    [InlineData("set\tpath_a\tpath_b\tlabelled_same\treason", "lfw\ta\tb\tyes\tx")]
    [InlineData("set\tpath_a\tpath_b\tlabelled_same\treason", "lfw\ta\tb\t1\t ")]
    public void A_malformed_file_is_refused_with_its_line(string header, string row)
    {
        var ex = Assert.Throws<FormatException>(() => LabelErrata.Read(Write(header, row)));
        Assert.Contains("errata.tsv", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_erratum_in_the_repo_names_a_pair_of_its_shared_set_with_that_label()
    {
        var repoFile = RepoFile("docs/face-label-errata.tsv");
        var errata = LabelErrata.Read(repoFile);
        Assert.NotEmpty(errata);
        foreach (var set in errata.GroupBy(e => e.Set))
        {
            var pairs = FaceDataSets.ReadPairs(Path.Combine(SharedPaths.DataRoot(), "faces", set.Key, "pairs.tsv"));
            var (kept, setAside) = LabelErrata.Apply(errata, set.Key, pairs);
            Assert.Equal(set.Count(), setAside.Count);
            Assert.Equal(pairs.Count - set.Count(), kept.Count);
        }
    }

    private static string RepoFile(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException(relative);
    }
}
