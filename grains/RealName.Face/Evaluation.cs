using System.Globalization;
using OpenCvSharp;
using RealName.Rules;

namespace RealName.Face;

/// <summary>One labelled pair with its score (null when a gate refused either image).</summary>
public sealed record ScoredPair(string PathA, string PathB, bool Same, double? Score)
{
    /// <summary>The gates' reasons for refusing either image (empty when scored).</summary>
    public IReadOnlyList<FaceRefusalReason> Refusals { get; init; } = [];

    /// <summary>The score the pair would have had with the quality gates off (null only when no face was found).</summary>
    public double? UngatedScore { get; init; }

    public FaceQuality? QualityA { get; init; }

    public FaceQuality? QualityB { get; init; }
}

/// <summary>Reads the shared data-set files.</summary>
public static class FaceDataSets
{
    /// <summary>Reads <c>path_a&lt;TAB&gt;path_b&lt;TAB&gt;same</c> (header line first; extra columns ignored).</summary>
    public static IReadOnlyList<(string A, string B, bool Same)> ReadPairs(string file)
    {
        var result = new List<(string, string, bool)>();
        foreach (var line in File.ReadLines(file).Skip(1))
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var parts = line.Split('\t');
            result.Add((parts[0], parts[1], parts[2].Trim() == "1"));
        }

        return result;
    }

    /// <summary>
    /// Reads identities.tsv: either <c>identity n_images</c> (LFW: images are &lt;root&gt;/&lt;identity&gt;/*.jpg) or
    /// <c>file identity [note]</c> (rows with identity MULTI are skipped). Returns (relative path, identity).
    /// </summary>
    public static IReadOnlyList<(string Path, string Identity)> ReadIdentities(string root)
    {
        var lines = File.ReadAllLines(Path.Combine(root, "identities.tsv"));
        var header = lines[0].Split('\t');
        var result = new List<(string, string)>();
        foreach (var line in lines.Skip(1).Where(l => !string.IsNullOrWhiteSpace(l)))
        {
            var parts = line.Split('\t');
            if (header[0] == "identity")
            {
                foreach (var f in Directory.GetFiles(Path.Combine(root, parts[0])).Order(StringComparer.Ordinal))
                {
                    result.Add((Path.GetRelativePath(root, f), parts[0]));
                }
            }
            else if (parts[1] != "MULTI")
            {
                result.Add((parts[0], parts[1]));
            }
        }

        return result;
    }
}

/// <summary>Degrades a photo like the portrait stored on an ID chip.</summary>
public static class ChipSimulator
{
    /// <summary>
    /// Crop 1.85x the face width around the face (face centre at 45% of the height, 102:126 aspect), resize to 102x126
    /// with area interpolation and JPEG-encode at quality 35. Returns the JPEG bytes.
    /// </summary>
    public static byte[] Simulate(Mat bgr, FaceBox face)
    {
        ArgumentNullException.ThrowIfNull(bgr);
        ArgumentNullException.ThrowIfNull(face);
        var cw = 1.85 * face.Width;
        var ch = cw * 126.0 / 102.0;
        var cx = face.X + (face.Width / 2);
        var cy = face.Y + (face.Height / 2);
        var left = (int)Math.Round(cx - (cw / 2));
        var top = (int)Math.Round(cy - (0.45 * ch));
        int w = (int)Math.Round(cw), h = (int)Math.Round(ch);
        int padL = Math.Max(0, -left), padT = Math.Max(0, -top);
        int padR = Math.Max(0, left + w - bgr.Width), padB = Math.Max(0, top + h - bgr.Height);
        using var padded = new Mat();
        Cv2.CopyMakeBorder(bgr, padded, padT, padB, padL, padR, BorderTypes.Replicate);
        using var crop = new Mat(padded, new Rect(left + padL, top + padT, w, h));
        using var small = new Mat();
        Cv2.Resize(crop, small, new Size(102, 126), 0, 0, InterpolationFlags.Area);
        Cv2.ImEncode(".jpg", small, out var jpg, new ImageEncodingParam(ImwriteFlags.JpegQuality, 35));
        return jpg;
    }
}

/// <summary>Verification metrics.</summary>
public static class FaceMetrics
{
    /// <summary>Score threshold with false-accept rate &lt;= far: fewer than far*N impostors score at or above it.</summary>
    public static double ThresholdAtFar(IReadOnlyList<double> impostorScores, double far, out long impostorsAbove)
    {
        ArgumentNullException.ThrowIfNull(impostorScores);
        var sorted = impostorScores.OrderDescending().ToArray();
        var k = (long)Math.Floor(far * sorted.Length);
        impostorsAbove = k;
        if (sorted.Length == 0)
        {
            return 1;
        }

        if (k == 0)
        {
            return sorted[0] + 1e-6;
        }

        // k impostors strictly above the threshold: midpoint between the k-th and (k+1)-th highest.
        return k >= sorted.Length ? sorted[^1] : (sorted[k - 1] + sorted[k]) / 2;
    }

    /// <summary>Accuracy at a threshold; refused pairs count as "not the same" (what the product would answer).</summary>
    public static double AccuracyAt(IReadOnlyList<ScoredPair> pairs, double threshold)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var correct = pairs.Count(p => (p.Score is { } s && s >= threshold) == p.Same);
        return (double)correct / pairs.Count;
    }

    /// <summary>Threshold maximising accuracy on the given pairs.</summary>
    public static double BestThreshold(IReadOnlyList<ScoredPair> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var candidates = pairs.Where(p => p.Score.HasValue).Select(p => p.Score!.Value).Order().ToArray();
        double best = 0, bestAcc = -1;
        for (var i = 0; i <= candidates.Length; i++)
        {
            var t = i == 0 ? candidates.FirstOrDefault() - 1e-6 : i == candidates.Length ? candidates[^1] + 1e-6 : (candidates[i - 1] + candidates[i]) / 2;
            var acc = AccuracyAt(pairs, t);
            if (acc > bestAcc)
            {
                bestAcc = acc;
                best = t;
            }
        }

        return best;
    }

    /// <summary>k-fold cross-validated accuracy: each fold is scored at the best threshold of the other folds.</summary>
    public static double CrossValidatedAccuracy(IReadOnlyList<ScoredPair> pairs, int folds = 10)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var correct = 0;
        for (var f = 0; f < folds; f++)
        {
            var train = pairs.Where((_, i) => i % folds != f).ToList();
            var test = pairs.Where((_, i) => i % folds == f).ToList();
            if (test.Count == 0)
            {
                continue;
            }

            var t = BestThreshold(train);
            correct += test.Count(p => (p.Score is { } s && s >= t) == p.Same);
        }

        return (double)correct / pairs.Count;
    }

    /// <summary>Area under the ROC curve (refused pairs get score -1).</summary>
    public static double Auc(IReadOnlyList<ScoredPair> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var gen = pairs.Where(p => p.Same).Select(p => p.Score ?? -1).Order().ToArray();
        var imp = pairs.Where(p => !p.Same).Select(p => p.Score ?? -1).Order().ToArray();
        if (gen.Length == 0 || imp.Length == 0)
        {
            return double.NaN;
        }

        // Mann-Whitney U via merge.
        double u = 0;
        int j = 0, jEq;
        foreach (var g in gen)
        {
            while (j < imp.Length && imp[j] < g)
            {
                j++;
            }

            jEq = j;
            while (jEq < imp.Length && imp[jEq] == g)
            {
                jEq++;
            }

            u += j + (0.5 * (jEq - j));
        }

        return u / ((double)gen.Length * imp.Length);
    }

    /// <summary>True-accept rate at the threshold giving the FAR on these pairs' impostors.</summary>
    public static double TarAtFar(IReadOnlyList<ScoredPair> pairs, double far)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var imp = pairs.Where(p => !p.Same).Select(p => p.Score ?? -1).ToList();
        var t = ThresholdAtFar(imp, far, out _);
        var gen = pairs.Where(p => p.Same).ToList();
        return gen.Count == 0 ? double.NaN : (double)gen.Count(p => p.Score is { } s && s >= t) / gen.Count;
    }

    public static string F(double v, int digits = 4) => v.ToString("F" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}

/// <summary>Extracts templates for many images with the whole pool, caching per image.</summary>
public sealed class FaceEvaluator(FaceEngine engine)
{
    private readonly Dictionary<string, FaceTemplateResult> _cache = new(StringComparer.Ordinal);

    /// <summary>
    /// Template of an image in evaluation mode (centred subject), or of its simulated chip portrait;
    /// <paramref name="progress"/> hears (done, total) as images are extracted.
    /// </summary>
    public Task<IReadOnlyDictionary<string, FaceTemplateResult>> ExtractAllAsync(string root, IEnumerable<string> paths, bool simulateChip,
        Action<int, int>? progress = null, CancellationToken cancellationToken = default) =>
        ExtractAllAsync(root, paths, simulateChip, null, progress, cancellationToken);

    /// <summary>As above; <paramref name="degradation"/>, when given, is applied to each decoded image first.</summary>
    public async Task<IReadOnlyDictionary<string, FaceTemplateResult>> ExtractAllAsync(string root, IEnumerable<string> paths, bool simulateChip,
        Degradation? degradation, Action<int, int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var todo = paths.Distinct().Where(p => !_cache.ContainsKey(Key(p, simulateChip, degradation))).ToList();
        // As many at a time as the engine has pipelines: a batch never fills the engine's bounded wait queue.
        var results = new System.Collections.Concurrent.ConcurrentDictionary<string, FaceTemplateResult>(StringComparer.Ordinal);
        var done = 0;
        progress?.Invoke(0, todo.Count);
        await Parallel.ForEachAsync(todo, new ParallelOptions { MaxDegreeOfParallelism = engine.PoolSize, CancellationToken = cancellationToken }, async (p, ct) =>
        {
            results[p] = await engine.RunAsync(pipe => ExtractOne(pipe, Path.Combine(root, p), simulateChip, degradation), ct).ConfigureAwait(false);
            progress?.Invoke(Interlocked.Increment(ref done), todo.Count);
        }).ConfigureAwait(false);
        foreach (var p in todo)
        {
            _cache[Key(p, simulateChip, degradation)] = results[p];
        }

        return _cache;
    }

    public static string Key(string path, bool chip, Degradation? degradation = null) =>
        (degradation is null ? "" : degradation + ":") + (chip ? "chip:" + path : path);

    private static FaceTemplateResult ExtractOne(FacePipeline pipe, string file, bool simulateChip, Degradation? degradation)
    {
        var bytes = File.ReadAllBytes(file);
        if (degradation is not null)
        {
            using var decoded = pipe.Decode(bytes, out _, out _, out _);
            if (decoded is not null)
            {
                using var degraded = degradation.Apply(decoded);
                Cv2.ImEncode(".png", degraded, out bytes);
            }
        }

        if (!simulateChip)
        {
            return pipe.Extract(bytes, ImageRole.CentredSubject);
        }

        using var img = pipe.Decode(bytes, out _, out _, out _);
        if (img is null)
        {
            return pipe.Extract(bytes, ImageRole.CentredSubject);
        }

        var first = pipe.Extract(img, ImageRole.CentredSubject);
        if (first.Face is null)
        {
            return first;
        }

        var chip = ChipSimulator.Simulate(img, first.Face);
        return pipe.Extract(chip, ImageRole.Document);
    }

    /// <summary>Scores labelled pairs (image A optionally chip-simulated). Refused images give a null score.</summary>
    public Task<IReadOnlyList<ScoredPair>> ScorePairsAsync(string root, IReadOnlyList<(string A, string B, bool Same)> pairs, bool simulateChip,
        Action<int, int>? progressA = null, Action<int, int>? progressB = null, CancellationToken cancellationToken = default) =>
        ScorePairsAsync(root, pairs, simulateChip, null, progressA, progressB, cancellationToken);

    /// <summary>As above; <paramref name="degradeB"/>, when given, degrades every image B (the live photo) first.</summary>
    public async Task<IReadOnlyList<ScoredPair>> ScorePairsAsync(string root, IReadOnlyList<(string A, string B, bool Same)> pairs, bool simulateChip,
        Degradation? degradeB, Action<int, int>? progressA = null, Action<int, int>? progressB = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var a = await ExtractAllAsync(root, pairs.Select(p => p.A), simulateChip, null, progressA, cancellationToken).ConfigureAwait(false);
        var b = await ExtractAllAsync(root, pairs.Select(p => p.B), false, degradeB, progressB, cancellationToken).ConfigureAwait(false);
        return pairs.Select(p =>
        {
            var ta = a[Key(p.A, simulateChip)];
            var tb = b[Key(p.B, false, degradeB)];
            double? ungated = ta.Template is not null && tb.Template is not null ? FaceDecider.Cosine(ta.Template.Embedding, tb.Template.Embedding) : null;
            return new ScoredPair(p.A, p.B, p.Same, ta.Accepted && tb.Accepted ? ungated : null)
            {
                Refusals = ta.Reasons.Concat(tb.Reasons).Distinct().ToList(),
                UngatedScore = ungated,
                QualityA = ta.Quality,
                QualityB = tb.Quality,
            };
        }).ToList();
    }

    /// <summary>The image results the given pairs used (each image once): the population of the failure-to-acquire rate.</summary>
    public IReadOnlyList<FaceTemplateResult> ImagesOf(IReadOnlyList<(string A, string B, bool Same)> pairs, bool simulateChip, Degradation? degradeB = null)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        return pairs.Select(p => Key(p.A, simulateChip)).Concat(pairs.Select(p => Key(p.B, false, degradeB))).Distinct(StringComparer.Ordinal)
            .Select(k => _cache[k]).ToList();
    }

    public IReadOnlyDictionary<string, FaceTemplateResult> Cache => _cache;
}
