namespace RealName.Face.Search;

/// <summary>
/// The k best (row, score) pairs seen so far: a min-heap on the score, so an offer below the k-th best costs
/// one comparison. Ties keep the earlier row.
/// </summary>
internal sealed class TopK(int k)
{
    private readonly PriorityQueue<int, float> heap = new(k + 1);

    public void Offer(int row, float score)
    {
        if (heap.Count < k)
        {
            heap.Enqueue(row, score);
        }
        else if (heap.TryPeek(out _, out var worst) && score > worst)
        {
            heap.DequeueEnqueue(row, score);
        }
    }

    /// <summary>The kept pairs, best first; empties the heap.</summary>
    public List<(int Row, float Score)> Drain()
    {
        var kept = new List<(int Row, float Score)>(heap.Count);
        while (heap.TryDequeue(out var row, out var score))
        {
            kept.Add((row, score));
        }

        kept.Reverse();
        return kept;
    }
}

/// <summary>Merges the best-first hit lists of several shards into one best-first list of at most k.</summary>
public static class TopKMerge
{
    public static IReadOnlyList<T> Merge<T>(IEnumerable<IEnumerable<T>> shards, Func<T, double> score, int k) =>
        [.. shards.SelectMany(s => s).OrderByDescending(score).Take(Math.Max(0, k))];
}
