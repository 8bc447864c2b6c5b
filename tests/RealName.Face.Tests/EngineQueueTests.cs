using RealName.Face;

namespace RealName.Face.Tests;

/// <summary>The engine's wait queue is bounded: past it, work is refused at once instead of piling up.</summary>
public sealed class EngineQueueTests
{
    [Fact]
    public async Task Work_beyond_the_pool_and_its_queue_is_refused_busy_and_the_rest_completes()
    {
        using var engine = new FaceEngine(new FaceOptions { PoolSize = 1, MaxQueuedWork = 1 });
        var image = File.ReadAllBytes(Path.Combine(SharedPaths.DataRoot(), "idcards", "foamliu", "id_card.jpg"));

        var calls = Enumerable.Range(0, 6).Select(_ => engine.ExtractAsync(image, ImageRole.Document)).ToList();
        var outcomes = new List<string>();
        foreach (var call in calls)
        {
            try
            {
                outcomes.Add((await call).Accepted ? "done" : "refused-image");
            }
            catch (FaceEngineBusyException)
            {
                outcomes.Add("busy");
            }
        }

        // One runs, one waits; the four others find the queue full.
        Assert.Equal(["done", "done", "busy", "busy", "busy", "busy"], outcomes);
        Assert.Equal(0, engine.QueueDepth);
        Assert.True((await engine.ExtractAsync(image, ImageRole.Document)).Accepted);
    }

    [Fact]
    public async Task Face_work_runs_on_the_engines_own_threads_and_what_follows_it_does_not()
    {
        using var engine = new FaceEngine(new FaceOptions { PoolSize = 2 });

        var ran = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => engine.RunAsync(_ =>
            (Thread.CurrentThread.IsThreadPoolThread, Thread.CurrentThread.Name))));

        // Never a thread-pool thread: the pool stays free for the requests' I/O while faces are compared.
        Assert.All(ran, r => Assert.False(r.IsThreadPoolThread));
        Assert.All(ran, r => Assert.StartsWith("face-worker-", r.Name, StringComparison.Ordinal));
        // The caller's continuation is not run on a face thread either.
        Assert.DoesNotContain("face-worker-", Thread.CurrentThread.Name ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_waiter_that_finds_no_free_engine_in_time_is_refused_busy()
    {
        using var engine = new FaceEngine(new FaceOptions { PoolSize = 1, MaxQueuedWork = 8, MaxQueueWait = TimeSpan.FromMilliseconds(50) });
        using var release = new ManualResetEventSlim();

        // The only engine stays busy until released, so the waiter's 50 ms run out whatever the machine's load.
        var running = engine.RunAsync(_ => release.Wait(TimeSpan.FromMinutes(1)));
        await Assert.ThrowsAsync<FaceEngineBusyException>(() => engine.RunAsync(_ => true));
        release.Set();

        Assert.True(await running);
        Assert.Equal(0, engine.QueueDepth);
    }

    [Fact]
    public async Task A_cancelled_waiter_leaves_the_queue_without_running()
    {
        using var engine = new FaceEngine(new FaceOptions { PoolSize = 1, MaxQueuedWork = 4 });
        var image = File.ReadAllBytes(Path.Combine(SharedPaths.DataRoot(), "idcards", "foamliu", "id_card.jpg"));
        using var cancel = new CancellationTokenSource();

        var running = engine.ExtractAsync(image, ImageRole.Document);
        var waiting = engine.ExtractAsync(image, ImageRole.Document, cancel.Token);
        Assert.Equal(1, engine.QueueDepth);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.Equal(0, engine.QueueDepth);
        Assert.Equal(1, engine.AbandonedWork);
        Assert.True((await running).Accepted);
    }

    [Fact]
    public async Task Work_whose_caller_gives_up_mid_way_stops_before_its_next_stage()
    {
        using var engine = new FaceEngine(new FaceOptions { PoolSize = 1, Testing = { StageDelay = TimeSpan.FromMilliseconds(400) } });
        var image = File.ReadAllBytes(Path.Combine(SharedPaths.DataRoot(), "idcards", "foamliu", "id_card.jpg"));
        var stages = new List<FaceStage>();
        using var cancel = new CancellationTokenSource();

        // The pipeline reports each stage it reaches; the caller gives up while the second one is pending.
        var work = engine.RunAsync(p => p.Extract(image, ImageRole.Document, stage =>
        {
            lock (stages)
            {
                stages.Add(stage);
            }

            if (stage == FaceStage.Detect)
            {
                cancel.Cancel();
            }

            cancel.Token.ThrowIfCancellationRequested();
        }), cancel.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => work);
        Assert.Equal([FaceStage.Decode, FaceStage.Detect], stages);

        // Through the engine's own checkpoints: a 900 ms deadline against 400 ms before each stage gives up before detection.
        // The deadline passes on a thread of its own: a timer's callback needs a thread-pool thread, and the tests running
        // beside this one (and the engine's blocking checkpoints) can hold the pool longer than the whole extraction.
        using var deadline = new CancellationTokenSource();
        var deadlineClock = new Thread(() =>
        {
            Thread.Sleep(900);
            deadline.Cancel();
        }) { IsBackground = true };
        deadlineClock.Start();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => engine.ExtractAsync(image, ImageRole.Document, deadline.Token));
        deadlineClock.Join();
        Assert.Equal(1, engine.AbandonedWork);
        Assert.True((await engine.ExtractAsync(image, ImageRole.Document)).Accepted);
    }
}
