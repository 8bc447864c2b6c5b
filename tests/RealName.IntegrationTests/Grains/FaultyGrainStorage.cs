using System.Collections.Concurrent;
using Npgsql;
using Orleans.Storage;

namespace RealName.IntegrationTests.Grains;

/// <summary>
/// Test-only grain storage around the real one: WriteStateAsync fails on demand for one grain, the way
/// PostgreSQL fails while it restarts (an <see cref="NpgsqlException"/> on a broken connection).
/// Everything else, and every other grain, goes straight to the inner storage.
/// </summary>
public sealed class FaultyGrainStorage(IGrainStorage inner) : IGrainStorage
{
    private static readonly ConcurrentDictionary<string, int> FailingWrites = new(StringComparer.Ordinal);

    /// <summary>The next <paramref name="writes"/> state writes of the grain with this key fail.</summary>
    public static void FailNextWrites(string grainKey, int writes = 1) => FailingWrites[grainKey] = writes;

    /// <summary>How many of the failures asked for have not happened yet.</summary>
    public static int FailuresLeft(string grainKey) => FailingWrites.GetValueOrDefault(grainKey);

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(stateName, grainId, grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = grainId.Key.ToString();
        if (FailingWrites.TryGetValue(key, out var left) && left > 0)
        {
            FailingWrites[key] = left - 1;
            throw new NpgsqlException("Exception while writing to stream", new IOException("Connection reset by peer (injected storage fault)"));
        }

        return inner.WriteStateAsync(stateName, grainId, grainState);
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ClearStateAsync(stateName, grainId, grainState);
}
