using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OpenCvSharp;

namespace RealName.Face;

/// <summary>
/// Thread-safe face engine: a bounded pool of <see cref="FacePipeline"/>s (native nets are not thread-safe).
/// Work runs on the engine's own threads (<see cref="FaceWorkerThreads"/>, one per pipeline), never on the caller's
/// (e.g. Orleans) scheduler and never on the thread pool, which stays free for the requests' I/O.
/// Work whose caller gave up (its cancellation token fired: a client's deadline or cancellation, carried through the
/// grain calls) is abandoned in the queue or before its next stage, and counted (<see cref="AbandonedWork"/>, metric
/// <c>realname.face.work_abandoned</c> of meter <c>RealName.Face</c>).
/// </summary>
public sealed partial class FaceEngine : IFaceEngine, IDisposable
{
    private long _abandoned;
    private readonly ConcurrentBag<FacePipeline> _idle = [];
    private readonly List<FacePipeline> _all = [];
    private readonly SemaphoreSlim _slots;
    private readonly FaceWorkerThreads _workers;
    private readonly int _maxWaiting;
    private readonly TimeSpan _maxWait;
    private int _waiting;
    private readonly ILogger _logger;

    public FaceEngine(FaceOptions options, ILogger<FaceEngine>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        Profile = options.ResolveProfile();
        ModelsPath = SharedPaths.ResolveModelsPath(options.ModelsPath)
            ?? throw new FaceModelException("Face model folder not found. Run scripts/download-models.sh <dir> and set Face:ModelsPath (or REALNAME_MODELS) to that folder.");
        DetectorPath = VerifyModel(ModelsPath, options.DetectorFile, options.DetectorSha256);
        RecognizerPaths = Profile.FusedProfile is null
            ? [VerifyModel(ModelsPath, Profile.File, Profile.Sha256)]
            : [VerifyModel(ModelsPath, Profile.File, Profile.Sha256), VerifyModel(ModelsPath, Profile.FusedProfile.File, Profile.FusedProfile.Sha256)];

        var calibrationPath = CalibrationFile.ResolvePath(options.Decision.CalibrationFile);
        var calibration = File.Exists(calibrationPath) ? CalibrationFile.Load(calibrationPath) : null;
        Thresholds = FaceDecider.Resolve(options.Decision, calibration, Profile.EffectiveVersion);

        if (options.OpenCvThreads > 0)
        {
            Cv2.SetNumThreads(options.OpenCvThreads);
        }

        NativeAllocatorTuned = options.TuneNativeAllocator && NativeAllocator.TuneForImageBuffers();

        PoolSize = options.PoolSize > 0 ? options.PoolSize : Environment.ProcessorCount;
        _slots = new SemaphoreSlim(PoolSize, PoolSize);
        _workers = new FaceWorkerThreads(PoolSize);
        _maxWaiting = Math.Max(0, options.MaxQueuedWork);
        _maxWait = options.MaxQueueWait > TimeSpan.Zero ? options.MaxQueueWait : Timeout.InfiniteTimeSpan;
        for (var i = 0; i < PoolSize; i++)
        {
            var p = new FacePipeline(DetectorPath, RecognizerPaths, Profile, options.Gates);
            _all.Add(p);
            _idle.Add(p);
        }

        FaceTelemetry.QueueDepth.Add(0);   // the series exists (at 0) before anything waits
        _logger.LogInformation("Face engine ready: {Version}, {Pool} pipelines, models {Path}, thresholds {Match}/{Review}, native allocator tuned: {Tuned}",
            ModelVersion, PoolSize, ModelsPath, Thresholds.Match, Thresholds.Review, NativeAllocatorTuned);
    }

    public FaceOptions Options { get; }

    /// <summary>Whether this process's native allocator is set for the engine's buffers (<see cref="FaceOptions.TuneNativeAllocator"/>).</summary>
    public bool NativeAllocatorTuned { get; }

    public ModelProfile Profile { get; }

    public string ModelsPath { get; }

    public string DetectorPath { get; }

    public IReadOnlyList<string> RecognizerPaths { get; }

    public int PoolSize { get; }

    public string ModelVersion => Profile.EffectiveVersion;

    public DecisionThresholds Thresholds { get; }

    /// <summary>Checks that a model file exists and has the expected SHA-256.</summary>
    public static string VerifyModel(string folder, string file, string sha256)
    {
        var path = Path.Combine(folder, file);
        if (!File.Exists(path))
        {
            throw new FaceModelException(
                $"Face model '{file}' not found in '{folder}'. Run scripts/download-models.sh <dir> and set Face:ModelsPath to <dir> (or REALNAME_MODELS).");
        }

        if (!string.IsNullOrWhiteSpace(sha256))
        {
            using var stream = File.OpenRead(path);
            var actual = Convert.ToHexStringLower(SHA256.HashData(stream));
            if (!string.Equals(actual, sha256, StringComparison.OrdinalIgnoreCase))
            {
                throw new FaceModelException(
                    $"Face model '{path}' is corrupt or the wrong version (sha256 {actual}, expected {sha256}). Re-run scripts/download-models.sh or fix Face:ModelsPath.");
            }
        }

        return path;
    }

    /// <summary>Work items abandoned since start because their caller gave up.</summary>
    public long AbandonedWork => Interlocked.Read(ref _abandoned);

    /// <summary>Work items waiting for a free pipeline now.</summary>
    public int QueueDepth => Volatile.Read(ref _waiting);

    /// <summary>
    /// Runs work on a pooled pipeline on one of the engine's threads. At most <see cref="FaceOptions.MaxQueuedWork"/>
    /// items wait for a pipeline, each at most <see cref="FaceOptions.MaxQueueWait"/>; past either the work is
    /// refused with <see cref="FaceEngineBusyException"/>.
    /// A cancelled caller leaves the queue without running its work (counted as abandoned).
    /// </summary>
    public async Task<T> RunAsync<T>(Func<FacePipeline, T> work, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            Abandon(FaceStage.Queue, cancellationToken);
        }

        ArgumentNullException.ThrowIfNull(work);
        if (!_slots.Wait(0, CancellationToken.None))
        {
            if (Interlocked.Increment(ref _waiting) > _maxWaiting)
            {
                Interlocked.Decrement(ref _waiting);
                throw new FaceEngineBusyException($"All {PoolSize} face engines are busy and {_maxWaiting} comparisons are waiting.");
            }

            FaceTelemetry.QueueDepth.Add(1);

            bool acquired = false;
            try
            {
                acquired = await _slots.WaitAsync(_maxWait, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                Abandon(FaceStage.Queue, cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref _waiting);
                FaceTelemetry.QueueDepth.Add(-1);
            }

            if (!acquired)
            {
                throw new FaceEngineBusyException($"No face engine came free within {_maxWait.TotalSeconds:0.#} s.");
            }
        }

        try
        {
            return await _workers.Run(() =>
            {
                if (!_idle.TryTake(out var p))
                {
                    throw new InvalidOperationException("Face pipeline pool is empty.");
                }

                try
                {
                    Checkpoint(FaceStage.Queue, cancellationToken);
                    return work(p);
                }
                finally
                {
                    _idle.Add(p);
                }
            }).ConfigureAwait(false);
        }
        finally
        {
            _slots.Release();
        }
    }

    public async Task<FaceTemplateResult> ExtractAsync(ReadOnlyMemory<byte> image, ImageRole role, CancellationToken cancellationToken = default)
    {
        using var activity = FaceTelemetry.Source.StartActivity("face extract")?.SetTag("realname.face.image_role", role.ToString());
        var result = await RunAsync(p => p.Extract(image.Span, role, stage => Checkpoint(stage, cancellationToken)), cancellationToken).ConfigureAwait(false);
        activity?.SetTag("realname.face.accepted", result.Accepted);
        return result;
    }

    /// <summary>Before each stage: the test seam's pause (<see cref="FaceTestingOptions.StageDelay"/>), then give up if the caller has.</summary>
    private void Checkpoint(FaceStage stage, CancellationToken cancellationToken)
    {
        if (Options.Testing.StageDelay > TimeSpan.Zero)
        {
            if (cancellationToken.CanBeCanceled)
            {
                cancellationToken.WaitHandle.WaitOne(Options.Testing.StageDelay);
            }
            else
            {
                Thread.Sleep(Options.Testing.StageDelay);
            }
        }

        if (cancellationToken.IsCancellationRequested)
        {
            Abandon(stage, cancellationToken);
        }
    }

    /// <summary>Counts the abandoned work item and throws <see cref="OperationCanceledException"/>.</summary>
    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private void Abandon(FaceStage stage, CancellationToken cancellationToken)
    {
        var count = Interlocked.Increment(ref _abandoned);
        FaceTelemetry.Abandoned.Add(1, new KeyValuePair<string, object?>("stage", stage.ToString()));
        LogAbandoned(_logger, stage, count);
        throw new OperationCanceledException($"Face work abandoned before {stage}: its caller gave up.", cancellationToken);
    }

    [LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Information, Message = "Face work abandoned before {Stage}: its caller gave up ({Abandoned} abandoned since start)")]
    private static partial void LogAbandoned(ILogger logger, FaceStage stage, long abandoned);

    public async Task<FaceComparison> CompareAsync(ReadOnlyMemory<byte> document, ReadOnlyMemory<byte> live, CancellationToken cancellationToken = default)
    {
        using var activity = FaceTelemetry.StartComparison("document_vs_live");
        var started = Stopwatch.GetTimestamp();
        var d = ExtractAsync(document, ImageRole.Document, cancellationToken);
        var l = ExtractAsync(live, ImageRole.Live, cancellationToken);
        return FaceTelemetry.Compared(activity, started, CompareTemplates(await d.ConfigureAwait(false), await l.ConfigureAwait(false)));
    }

    public async Task<FaceComparison> CompareWithTemplateAsync(FaceTemplate enrolled, ReadOnlyMemory<byte> live, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(enrolled);
        using var activity = FaceTelemetry.StartComparison("template_vs_live");
        var started = Stopwatch.GetTimestamp();
        var l = await ExtractAsync(live, ImageRole.Live, cancellationToken).ConfigureAwait(false);
        if (!string.Equals(enrolled.ModelVersion, ModelVersion, StringComparison.Ordinal) || !l.Accepted)
        {
            return FaceTelemetry.Compared(activity, started, new FaceComparison(null, FaceDecision.REJECTED, l.Reasons, null, l, ModelVersion, Thresholds));
        }

        var (score, decision) = Score(enrolled, l.Template!);
        return FaceTelemetry.Compared(activity, started, new FaceComparison(score, decision, [], null, l, ModelVersion, Thresholds));
    }

    public FaceComparison CompareTemplates(FaceTemplateResult document, FaceTemplateResult live)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(live);
        var reasons = document.Reasons.Concat(live.Reasons).Distinct().ToList();
        if (!document.Accepted || !live.Accepted ||
            !string.Equals(document.Template!.ModelVersion, live.Template!.ModelVersion, StringComparison.Ordinal))
        {
            return new FaceComparison(null, FaceDecision.REJECTED, reasons, document, live, ModelVersion, Thresholds);
        }

        var (score, decision) = Score(document.Template, live.Template);
        return new FaceComparison(score, decision, reasons, document, live, ModelVersion, Thresholds);
    }

    public (double Score, FaceDecision Decision) Score(FaceTemplate a, FaceTemplate b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (!string.Equals(a.ModelVersion, b.ModelVersion, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Templates of different model versions ({a.ModelVersion} vs {b.ModelVersion}) cannot be compared.", nameof(b));
        }

        var s = FaceDecider.Cosine(a.Embedding, b.Embedding);
        return (s, FaceDecider.Decide(s, Thresholds));
    }

    public void Dispose()
    {
        // Work still running finishes first: its pipeline is disposed after.
        _workers.Dispose();
        foreach (var p in _all)
        {
            p.Dispose();
        }

        _all.Clear();
        _slots.Dispose();
    }
}
