using RealName.Face;
using RealName.Face.Search;

namespace RealName.Face.Tests;

/// <summary>The 1:N index's matrix: SIMD search over half-precision rows agrees with a plain cosine, removal keeps the matrix dense.</summary>
public sealed class TemplateMatrixTests
{
    private static float[] Vector(Random random, int dimensions = 128) =>
        [.. Enumerable.Range(0, dimensions).Select(_ => (float)(random.NextDouble() - 0.5))];

    [Fact]
    public void Search_returns_the_k_best_by_cosine_best_first_and_agrees_with_a_plain_scan()
    {
        var random = new Random(5);
        var matrix = new TemplateMatrix(128);
        var gallery = Enumerable.Range(0, 500).ToDictionary(i => "t" + i, _ => Vector(random));
        foreach (var (id, vector) in gallery)
        {
            matrix.Add(id, vector);
        }

        var probe = Vector(random);
        var hits = matrix.Search(probe, 7, float.MinValue);

        var expected = gallery.Select(g => (Id: g.Key, Score: FaceDecider.Cosine(probe, g.Value))).OrderByDescending(g => g.Score).Take(7).ToList();
        Assert.Equal(expected.Select(e => e.Id), hits.Select(h => h.TemplateId));
        // Half-precision rows: scores within 1e-3 of the 32-bit cosine.
        Assert.All(hits.Zip(expected), pair => Assert.InRange(pair.First.Score, pair.Second.Score - 1e-3, pair.Second.Score + 1e-3));
    }

    [Fact]
    public void Only_scores_at_or_above_the_threshold_are_hits()
    {
        var matrix = new TemplateMatrix(3);
        matrix.Add("same", [1, 0, 0]);
        matrix.Add("close", [0.9f, 0.1f, 0]);
        matrix.Add("far", [0, 1, 0]);

        var hits = matrix.Search([2, 0, 0], 10, 0.9f);

        Assert.Equal(["same", "close"], hits.Select(h => h.TemplateId));
        Assert.Equal(1f, hits[0].Score, 3);
    }

    [Fact]
    public void A_removed_template_is_never_found_and_the_moved_row_keeps_its_id()
    {
        var matrix = new TemplateMatrix(3);
        matrix.Add("a", [1, 0, 0]);
        matrix.Add("b", [0, 1, 0]);
        matrix.Add("c", [0, 0, 1]);

        Assert.True(matrix.Remove("a"));
        Assert.False(matrix.Remove("a"));

        Assert.Equal(2, matrix.Count);
        Assert.Empty(matrix.Search([1, 0, 0], 5, 0.5f));
        Assert.Equal("c", Assert.Single(matrix.Search([0, 0, 1], 5, 0.5f)).TemplateId);
        Assert.Equal("b", Assert.Single(matrix.Search([0, 1, 0], 5, 0.5f)).TemplateId);
    }

    [Fact]
    public void Adding_an_id_again_replaces_its_template()
    {
        var matrix = new TemplateMatrix(2);
        matrix.Add("a", [1, 0]);
        matrix.Add("a", [0, 1]);

        Assert.Equal(1, matrix.Count);
        Assert.Equal("a", Assert.Single(matrix.Search([0, 1], 5, 0.9f)).TemplateId);
    }
}
