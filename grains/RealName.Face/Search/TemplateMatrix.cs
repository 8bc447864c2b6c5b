using System.Numerics.Tensors;

namespace RealName.Face.Search;

/// <summary>Receives one row of a <see cref="TemplateMatrix"/>.</summary>
public delegate void RowVisitor(string templateId, ReadOnlySpan<float> values);

/// <summary>One search hit: the template's row key and its cosine similarity to the probe.</summary>
public readonly record struct TemplateScore(string TemplateId, float Score);

/// <summary>
/// Face templates of one model version in one contiguous row-major float matrix (row i = template i,
/// L2-normalised, so a dot product is the cosine), searched with SIMD dot products
/// (<see cref="TensorPrimitives.Dot(ReadOnlySpan{float}, ReadOnlySpan{float})"/>). Not thread-safe: one
/// owner (a shard grain) adds, removes and searches. Removing moves the last row into the hole, so the
/// matrix stays dense and a search never skips over gaps.
/// </summary>
public sealed class TemplateMatrix(int dimensions)
{
    private const int InitialRows = 1024;

    private float[] values = [];
    private string[] ids = [];
    private readonly Dictionary<string, int> rowOf = new(StringComparer.Ordinal);

    public int Dimensions { get; } = dimensions > 0 ? dimensions : throw new ArgumentOutOfRangeException(nameof(dimensions));

    public int Count { get; private set; }

    /// <summary>Bytes held by the matrix and its row keys (capacity, not only the rows in use).</summary>
    public long AllocatedBytes => (values.LongLength * sizeof(float)) + (ids.LongLength * IntPtr.Size);

    public bool Contains(string templateId) => rowOf.ContainsKey(templateId);

    /// <summary>Adds a template, or replaces the one with the same id. The vector is normalised on the way in.</summary>
    public void Add(string templateId, ReadOnlySpan<float> embedding)
    {
        if (embedding.Length != Dimensions)
        {
            throw new ArgumentException($"A template of {embedding.Length} values does not fit a {Dimensions}-d matrix.", nameof(embedding));
        }

        if (!rowOf.TryGetValue(templateId, out var row))
        {
            Grow(Count + 1);
            row = Count++;
            rowOf[templateId] = row;
            ids[row] = templateId;
        }

        var target = Row(row);
        var norm = TensorPrimitives.Norm(embedding);
        if (norm > 0)
        {
            TensorPrimitives.Divide(embedding, norm, target);
        }
        else
        {
            target.Clear();
        }
    }

    /// <summary>Removes a template; false when it was not there.</summary>
    public bool Remove(string templateId)
    {
        if (!rowOf.Remove(templateId, out var row))
        {
            return false;
        }

        var last = --Count;
        if (row != last)
        {
            Row(last).CopyTo(Row(row));
            ids[row] = ids[last];
            rowOf[ids[row]] = row;
        }

        ids[last] = null!;
        return true;
    }

    /// <summary>The <paramref name="k"/> rows most similar to the probe with a cosine of at least <paramref name="minScore"/>, best first.</summary>
    public TemplateScore[] Search(ReadOnlySpan<float> probe, int k, float minScore)
    {
        if (probe.Length != Dimensions)
        {
            throw new ArgumentException($"A probe of {probe.Length} values does not fit a {Dimensions}-d matrix.", nameof(probe));
        }

        var unit = new float[Dimensions];
        var norm = TensorPrimitives.Norm(probe);
        if (k <= 0 || norm <= 0)
        {
            return [];
        }

        TensorPrimitives.Divide(probe, norm, unit);
        var best = new TopK(k);
        var matrix = values.AsSpan(0, Count * Dimensions);
        for (var row = 0; row < Count; row++)
        {
            var score = TensorPrimitives.Dot(unit, matrix.Slice(row * Dimensions, Dimensions));
            if (score >= minScore)
            {
                best.Offer(row, score);
            }
        }

        return [.. best.Drain().Select(hit => new TemplateScore(ids[hit.Row], hit.Score))];
    }

    /// <summary>Visits every row (id and normalised values): for baselines and exports, not the search path.</summary>
    public void ForEachRow(RowVisitor visit)
    {
        ArgumentNullException.ThrowIfNull(visit);
        for (var row = 0; row < Count; row++)
        {
            visit(ids[row], values.AsSpan(row * Dimensions, Dimensions));
        }
    }

    private Span<float> Row(int row) => values.AsSpan(row * Dimensions, Dimensions);

    private void Grow(int rows)
    {
        if (rows <= ids.Length)
        {
            return;
        }

        var capacity = Math.Max(InitialRows, Math.Max(rows, ids.Length * 2));
        Array.Resize(ref values, capacity * Dimensions);
        Array.Resize(ref ids, capacity);
    }
}
