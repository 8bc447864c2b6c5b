using System.Collections.Concurrent;

namespace RealName.Face;

/// <summary>
/// The engine's own threads, one per pipeline, that run nothing but face work. A comparison keeps a core busy for tens
/// of milliseconds; on the thread pool, two of them took both of a 2-core machine's minimum threads, and the gRPC,
/// Orleans and Npgsql continuations of every other request waited behind them until the pool's starvation logic added
/// threads, which is where the long tail at steady load came from. Continuations of face work go back to the thread pool
/// (<see cref="TaskCreationOptions.RunContinuationsAsynchronously"/>), so these threads never run grain or socket code.
/// </summary>
internal sealed class FaceWorkerThreads : TaskScheduler, IDisposable
{
    private readonly BlockingCollection<Task> _queued = [];
    private readonly List<Thread> _threads;
    private int _disposed;

    public FaceWorkerThreads(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        _threads = [.. Enumerable.Range(1, count).Select(i => new Thread(Work) { IsBackground = true, Name = $"face-worker-{i}" })];
        foreach (var thread in _threads)
        {
            thread.Start();
        }
    }

    public override int MaximumConcurrencyLevel => _threads.Count;

    /// <summary>Runs <paramref name="work"/> on one of these threads.</summary>
    public Task<T> Run<T>(Func<T> work) =>
        Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.DenyChildAttach | TaskCreationOptions.RunContinuationsAsynchronously, this);

    protected override void QueueTask(Task task) => _queued.Add(task);

    /// <summary>Only a face thread runs face work, and only work it took from the queue.</summary>
    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) => false;

    protected override IEnumerable<Task> GetScheduledTasks() => _queued.ToArray();

    /// <summary>Lets queued work finish, then ends the threads; a second call does nothing (the engine may be disposed twice).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _queued.CompleteAdding();
        var ended = _threads.All(thread => thread.Join(TimeSpan.FromSeconds(10)));
        if (ended)
        {
            // Only once no thread can read it any more: a thread still in a long comparison keeps the queue alive.
            _queued.Dispose();
        }
    }

    private void Work()
    {
        foreach (var task in _queued.GetConsumingEnumerable())
        {
            TryExecuteTask(task);
        }
    }
}
