using System.CommandLine;
using System.Diagnostics;
using RealName.Face;
using RealName.Face.Search;

namespace RealName.Cli.Commands;

/// <summary>
/// `realname face index-bench`: the 1:N index's search (templates spread over shard matrices, every shard searched
/// in parallel, top-k merged) against a single-thread scalar scan of the same data, at each gallery size.
/// </summary>
internal static partial class FaceCommands
{
    private static Command IndexBenchCommand()
    {
        var sizesOpt = new Option<int[]>("--templates") { Description = "Gallery sizes", DefaultValueFactory = _ => [100_000, 1_000_000], AllowMultipleArgumentsPerToken = true };
        var shardsOpt = new Option<int>("--shards") { Description = "Shard matrices (FaceIndex:Shards)", DefaultValueFactory = _ => 4 };
        var queriesOpt = new Option<int>("--queries") { Description = "Searches timed per size", DefaultValueFactory = _ => 200 };
        var bruteOpt = new Option<int>("--brute-queries") { Description = "Brute-force scans timed per size", DefaultValueFactory = _ => 20 };
        var realOpt = new Option<int>("--real") { Description = "Real templates (LFW photos of the shared set) in every gallery", DefaultValueFactory = _ => 200 };
        var c = new Command("index-bench", "1:N search latency and memory: sharded SIMD search vs a single-thread brute-force scan") { sizesOpt, shardsOpt, queriesOpt, bruteOpt, realOpt };
        AddEngineOptions(c);
        c.SetAction(async (r, ct) =>
        {
            var shards = r.GetValue(shardsOpt);
            float[][] real;
            using (var engine = CreateEngine(r))
            {
                var root = Path.Combine(SharedPaths.DataRoot(), "faces", "lfw");
                var paths = FaceDataSets.ReadIdentities(root).Select(i => i.Path).Take(r.GetValue(realOpt)).ToList();
                var extracted = await CliProgress.RunAsync(quiet: false, progress =>
                    new FaceEvaluator(engine).ExtractAllAsync(root, paths, false, progress.Bar("real templates"), ct));
                real = [.. paths.Select(p => extracted[p].Template).OfType<FaceTemplate>().Select(t => t.Embedding)];
            }

            Console.WriteLine(Inv($"{real.Length} real templates; {shards} shards; {Environment.ProcessorCount} cores (load average {LoadAverage()}); top-10 per search"));
            foreach (var size in r.GetValue(sizesOpt)!)
            {
                RunIndexBench(real, size, shards, r.GetValue(queriesOpt), r.GetValue(bruteOpt));
            }

            return 0;
        });
        return c;
    }

    private static void RunIndexBench(float[][] real, int size, int shards, int queries, int bruteQueries)
    {
        const int K = 10;
        var dimensions = real[0].Length;
        GC.Collect();
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var matrices = Enumerable.Range(0, shards).Select(_ => new TemplateMatrix(dimensions)).ToArray();
        var random = new Random(11);
        var scratch = new float[dimensions];
        for (var i = 0; i < size; i++)
        {
            var vector = i < real.Length ? real[i] : RandomUnit(random, scratch);
            matrices[i % shards].Add("t" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), vector);
        }

        var bytes = GC.GetTotalMemory(forceFullCollection: true) - before;
        var matrixBytes = matrices.Sum(m => m.AllocatedBytes);

        var probes = real;
        var sharded = Time(queries, q => SearchSharded(matrices, probes[q % probes.Length], K));
        var brute = Time(bruteQueries, q => BruteForce(matrices, probes[q % probes.Length], K));
        var same = Enumerable.Range(0, Math.Min(5, probes.Length)).All(q =>
            SearchSharded(matrices, probes[q], K).Select(h => h.TemplateId).SequenceEqual(BruteForce(matrices, probes[q], K).Select(h => h.TemplateId)));

        Console.WriteLine(Inv($"{size,9:N0} templates: memory {bytes / 1048576.0:0} MiB ({(double)bytes / size:0} B/template; matrices {matrixBytes / 1048576.0:0} MiB)"));
        Console.WriteLine(Inv($"          sharded SIMD search ({shards} shards, parallel): p50 {sharded.P50:0.00} ms  p99 {sharded.P99:0.00} ms  cpu {sharded.CpuMs:0.00} ms/search  ({queries} searches)"));
        Console.WriteLine(Inv($"          brute-force scalar scan (1 thread):        p50 {brute.P50:0.00} ms  p99 {brute.P99:0.00} ms  cpu {brute.CpuMs:0.00} ms/scan  ({bruteQueries} scans); same top-{K}: {same}"));
    }

    /// <summary>The 1-minute load average (Linux), so a reader can tell a quiet machine from a busy one.</summary>
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

    private static float[] RandomUnit(Random random, float[] vector)
    {
        for (var d = 0; d < vector.Length; d++)
        {
            // Box-Muller: a Gaussian vector, normalised, is uniform on the sphere.
            vector[d] = (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
        }

        return vector;
    }

    /// <summary>What a search does across the shard grains: every shard at once, then the best k of their best k.</summary>
    private static IReadOnlyList<TemplateScore> SearchSharded(TemplateMatrix[] matrices, float[] probe, int k)
    {
        var pages = new TemplateScore[matrices.Length][];
        Parallel.For(0, matrices.Length, s => pages[s] = matrices[s].Search(probe, k, float.MinValue));
        return TopKMerge.Merge(pages, h => h.Score, k);
    }

    /// <summary>The baseline: one thread, a plain loop per row (cosine with norms), a sorted top-k list.</summary>
    private static List<TemplateScore> BruteForce(TemplateMatrix[] matrices, float[] probe, int k)
    {
        var best = new List<TemplateScore>(k + 1);
        foreach (var matrix in matrices)
        {
            matrix.ForEachRow((id, row) =>
            {
                double dot = 0, a = 0, b = 0;
                for (var d = 0; d < row.Length; d++)
                {
                    dot += probe[d] * row[d];
                    a += probe[d] * probe[d];
                    b += row[d] * row[d];
                }

                var score = (float)(dot / Math.Sqrt(a * b));
                if (best.Count < k || score > best[^1].Score)
                {
                    var at = best.FindIndex(h => h.Score < score);
                    best.Insert(at < 0 ? best.Count : at, new TemplateScore(id, score));
                    if (best.Count > k)
                    {
                        best.RemoveAt(k);
                    }
                }
            });
        }

        return best;
    }

    /// <summary>Wall-clock p50/p99, and the CPU time per search over all threads (what other load on the cores cannot inflate).</summary>
    private static (double P50, double P99, double CpuMs) Time(int runs, Action<int> search)
    {
        search(0);
        var times = new double[runs];
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        for (var q = 0; q < runs; q++)
        {
            var started = Stopwatch.GetTimestamp();
            search(q);
            times[q] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        process.Refresh();
        var cpuMs = (process.TotalProcessorTime - cpuBefore).TotalMilliseconds / runs;
        Array.Sort(times);
        double At(double p) => times[Math.Min(times.Length - 1, (int)Math.Ceiling(p * times.Length) - 1)];
        return (At(0.50), At(0.99), cpuMs);
    }
}
