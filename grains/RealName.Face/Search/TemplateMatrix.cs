using System.Numerics.Tensors;

namespace RealName.Face.Search;

/// <summary>Receives one row of a <see cref="TemplateMatrix"/>.</summary>
public delegate void RowVisitor(string templateId, ReadOnlySpan<float> values);

/// <summary>One search hit: the template's row key and its cosine similarity to the probe.</summary>
public readonly record struct TemplateScore(string TemplateId, float Score);

/// <summary>
/// Face templates of one model version in one contiguous row-major matrix of half-precision floats (row i =
/// template i, L2-normalised, so a dot product is the cosine). A search streams the whole matrix through the
/// cores, so its speed is memory bandwidth: 16-bit values halve it against 32-bit ones, for a score error below
/// 1e-3 (the 1:N threshold is calibrated to five digits on pairs whose scores spread over 0.3). Blocks of rows
/// are widened to 32-bit (<see cref="TensorPrimitives.ConvertToSingle(ReadOnlySpan{Half}, Span{float})"/>) and
/// scored with SIMD dot products (<see cref="TensorPrimitives.Dot(ReadOnlySpan{float}, ReadOnlySpan{float})"/>).
/// Not thread-safe for writes: one owner (a shard grain) adds and removes; searches only read. Removing moves
/// the last row into the hole, so the matrix stays dense and a search never skips over gaps.
/// </summary>
public sealed class TemplateMatrix(int dimensions)
{
    private const int InitialRows = 1024;

    /// <summary>Rows widened together: a block of 32-bit values stays in the first-level cache.</summary>
    private const int BlockRows = 32;

    private Half[] values = [];
    private string[] ids = [];
    private readonly Dictionary<string, int> rowOf = new(StringComparer.Ordinal);

    public int Dimensions { get; } = dimensions > 0 ? dimensions : throw new ArgumentOutOfRangeException(nameof(dimensions));

    public int Count { get; private set; }

    /// <summary>Bytes held by the matrix and its row keys (capacity, not only the rows in use).</summary>
    public long AllocatedBytes => (values.LongLength * 2) + (ids.LongLength * IntPtr.Size);

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

        var unit = new float[Dimensions];
        var norm = TensorPrimitives.Norm(embedding);
        if (norm > 0)
        {
            TensorPrimitives.Divide(embedding, norm, unit);
        }

        TensorPrimitives.ConvertToHalf(unit, Row(row));
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
        var block = new float[BlockRows * Dimensions];
        for (var first = 0; first < Count; first += BlockRows)
        {
            var rows = Math.Min(BlockRows, Count - first);
            TensorPrimitives.ConvertToSingle(values.AsSpan(first * Dimensions, rows * Dimensions), block);
            for (var i = 0; i < rows; i++)
            {
                var score = TensorPrimitives.Dot(unit, block.AsSpan(i * Dimensions, Dimensions));
                if (score >= minScore)
                {
                    best.Offer(first + i, score);
                }
            }
        }

        return [.. best.Drain().Select(hit => new TemplateScore(ids[hit.Row], hit.Score))];
    }

    /// <summary>Visits every row (id and normalised values, widened): for baselines and exports, not the search path.</summary>
    public void ForEachRow(RowVisitor visit)
    {
        ArgumentNullException.ThrowIfNull(visit);
        var widened = new float[Dimensions];
        for (var row = 0; row < Count; row++)
        {
            TensorPrimitives.ConvertToSingle(Row(row), widened);
            visit(ids[row], widened);
        }
    }

    private Span<Half> Row(int row) => values.AsSpan(row * Dimensions, Dimensions);

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
