using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Configuration;
using RealName.Face;

namespace RealName.Cli.Commands;

/// <summary>`realname face ...`: compare, eval, calibrate, bench, index-bench.</summary>
internal static partial class FaceCommands
{
    private static readonly Option<string?> ModelsOption = new("--models") { Description = "Model folder (default: Face:ModelsPath, REALNAME_MODELS or ../shared/models)" };
    private static readonly Option<string?> ProfileOption = new("--model") { Description = "Embedding profile: paddlex-mobilefacenet (default) or faceplugin-512" };
    private static readonly Option<bool> FlipOption = new("--flip") { Description = "Force flip fusion on" };
    private static readonly Option<bool> NoFlipOption = new("--no-flip") { Description = "Force flip fusion off" };
    private static readonly Option<string?> CalibrationOption = new("--calibration") { Description = "Calibration file (default: the repo's grains/RealName.Face/calibration.json, else the copy next to the tool)" };
    private static readonly Option<bool> JsonOption = new("--json") { Description = "Print one JSON object" };
    private static readonly Option<int> PoolOption = new("--pool") { Description = "Engines in the pool (0 = one per core)" };

    private static readonly string[] ScoresHeader = ["path_a\tpath_b\tsame\tscore\tungated_score\tyaw_a\troll_a\tsharpness_a\twidth_a\tyaw_b\troll_b\tsharpness_b\twidth_b"];
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Converters = { new JsonStringEnumConverter() } };
    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public static Command Create()
    {
        var face = new Command("face", "Face verification engine tools");
        face.Subcommands.Add(CompareCommand());
        face.Subcommands.Add(EvalCommand());
        face.Subcommands.Add(CalibrateCommand());
        face.Subcommands.Add(BenchCommand());
        face.Subcommands.Add(IndexBenchCommand());
        face.Subcommands.Add(IndexSeedCommand());
        return face;
    }

    private static void AddEngineOptions(Command c)
    {
        c.Options.Add(ModelsOption);
        c.Options.Add(ProfileOption);
        c.Options.Add(FlipOption);
        c.Options.Add(NoFlipOption);
        c.Options.Add(CalibrationOption);
        c.Options.Add(PoolOption);
    }

    /// <summary>The engine as the silo builds it by default (one pipeline per core, the repo's calibration).</summary>
    internal static FaceEngine CreateDefaultEngine()
    {
        var o = EnvironmentOptions();
        o.Decision.CalibrationFile = FindRepoCalibration() ?? o.Decision.CalibrationFile;
        return new FaceEngine(o);
    }

    /// <summary>Face:* settings from the environment, e.g. REALNAME_Face__Gates__MaxYaw=0.5.</summary>
    private static FaceOptions EnvironmentOptions()
    {
        var o = new FaceOptions();
        new ConfigurationBuilder().AddEnvironmentVariables("REALNAME_").Build().GetSection(FaceOptions.SectionName).Bind(o);
        return o;
    }

    private static FaceEngine CreateEngine(ParseResult r, bool uncalibrated = false, int? pool = null)
    {
        var o = EnvironmentOptions();
        if (r.GetValue(ModelsOption) is { } m)
        {
            o.ModelsPath = m;
        }

        if (r.GetValue(ProfileOption) is { } p)
        {
            o.Profile = p;
        }

        if (r.GetValue(FlipOption))
        {
            o.FlipFusion = true;
        }

        if (r.GetValue(NoFlipOption))
        {
            o.FlipFusion = false;
        }

        o.Decision.CalibrationFile = r.GetValue(CalibrationOption) ?? FindRepoCalibration() ?? o.Decision.CalibrationFile;
        if (uncalibrated)
        {
            o.Decision.MatchThreshold = 1;
            o.Decision.ReviewThreshold = 1;
        }

        o.PoolSize = pool ?? r.GetValue(PoolOption);
        return new FaceEngine(o);
    }

    /// <summary>grains/RealName.Face/calibration.json of the repo the current directory is in, if any.</summary>
    private static string? FindRepoCalibration()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var f = Path.Combine(dir.FullName, "grains", "RealName.Face", "calibration.json");
            if (File.Exists(f))
            {
                return f;
            }
        }

        return null;
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static Command CompareCommand()
    {
        var a = new Argument<string>("document") { Description = "Document (ID card / chip portrait) image" };
        var b = new Argument<string>("live") { Description = "Live photo" };
        var c = new Command("compare", "Compare a document portrait with a live photo") { a, b, JsonOption };
        AddEngineOptions(c);
        c.SetAction(async (r, ct) =>
        {
            using var engine = CreateEngine(r, pool: 2);
            var result = await engine.CompareAsync(await File.ReadAllBytesAsync(r.GetValue(a)!, ct), await File.ReadAllBytesAsync(r.GetValue(b)!, ct), ct);
            if (r.GetValue(JsonOption))
            {
                var node = JsonSerializer.SerializeToNode(result, Indented)!;
                StripEmbeddings(node);
                Console.WriteLine(node.ToJsonString(Indented));
            }
            else
            {
                Console.WriteLine(Inv($"decision: {result.Decision}  score: {(result.Score is { } s ? s.ToString("F4", CultureInfo.InvariantCulture) : "-")}"));
                Console.WriteLine(Inv($"reasons: {(result.Reasons.Count == 0 ? "none" : string.Join(", ", result.Reasons))}"));
                Console.WriteLine(Inv($"thresholds: MATCH >= {result.Thresholds.Match:F4}, REVIEW >= {result.Thresholds.Review:F4} ({result.Thresholds.Source})"));
                Console.WriteLine($"model: {result.ModelVersion}");
                Describe("document", result.Document);
                Describe("live", result.Live);
            }

            return result.Decision == FaceDecision.REJECTED ? 2 : 0;
        });
        return c;
    }

    private static void StripEmbeddings(JsonNode node)
    {
        foreach (var side in new[] { "Document", "Live" })
        {
            if (node[side]?["Template"] is JsonObject t)
            {
                t.Remove("Embedding");
            }
        }
    }

    private static void Describe(string name, FaceTemplateResult? r)
    {
        if (r is null)
        {
            return;
        }

        var f = r.Face;
        var q = r.Quality;
        Console.WriteLine(Inv($"{name}: {r.ImageWidth}x{r.ImageHeight}, faces {r.AllFaces.Count}, reasons {(r.Reasons.Count == 0 ? "none" : string.Join(",", r.Reasons))}"));
        if (f is not null && q is not null)
        {
            Console.WriteLine(Inv($"  box {f.X:F0},{f.Y:F0} {f.Width:F0}x{f.Height:F0} score {f.Score:F3}; sharpness {q.Sharpness:F0} brightness {q.Brightness:F0} saturated {q.SaturatedFraction:F3} yaw {q.Yaw:F2} roll {q.RollDegrees:F1}"));
        }
    }

    private static Command EvalCommand()
    {
        var pairsOpt = new Option<string>("--pairs") { Description = "pairs.tsv (path_a, path_b, same; header line)", Required = true };
        var rootOpt = new Option<string?>("--root") { Description = "Folder the pair paths are relative to (default: the pairs file's folder)" };
        var plotOpt = new Option<string?>("--plot") { Description = "Write a ROC + score histogram PNG" };
        var scoresOpt = new Option<string?>("--scores") { Description = "Write every pair's score to this TSV" };
        var chipOpt = new Option<bool>("--simulate-chip") { Description = "Degrade image A like an ID chip portrait (102x126, JPEG q35)" };
        var degradeOpt = new Option<string[]>("--degrade")
        {
            Description = "Also score the pairs with image B degraded at each level (blur:SIGMA, scale:FACTOR, gain:FACTOR, rotate:DEGREES), to find where a gate should refuse",
            AllowMultipleArgumentsPerToken = true,
        };
        var errataOpt = new Option<string?>("--errata")
        {
            Description = "Set aside the pairs this file lists as known label errors (e.g. docs/face-label-errata.tsv); they are listed in the result",
        };
        var c = new Command("eval", "Evaluate 1:1 accuracy on labelled pairs at the calibrated threshold") { pairsOpt, rootOpt, JsonOption, plotOpt, chipOpt, scoresOpt, degradeOpt, errataOpt };
        AddEngineOptions(c);
        c.SetAction(async (r, ct) =>
        {
            var pairsFile = r.GetValue(pairsOpt)!;
            var root = r.GetValue(rootOpt) ?? Path.GetDirectoryName(Path.GetFullPath(pairsFile))!;
            var chip = r.GetValue(chipOpt);
            using var engine = CreateEngine(r);
            var set = Path.GetFileName(root.TrimEnd('/'));
            var labelled = FaceDataSets.ReadPairs(pairsFile);
            var errata = r.GetValue(errataOpt) is { } errataFile ? LabelErrata.Read(errataFile) : [];
            var (pairs, setAside) = LabelErrata.Apply(errata, set, labelled);
            var sw = Stopwatch.StartNew();
            var evaluator = new FaceEvaluator(engine);
            var scored = await CliProgress.RunAsync(r.GetValue(JsonOption), progress =>
                evaluator.ScorePairsAsync(root, pairs, chip, progress.Bar(chip ? "images A (chip)" : "images A"), progress.Bar("images B"), ct));
            var ms = sw.Elapsed.TotalMilliseconds;
            var o = EvalReport(engine, scored, ms);
            var images = evaluator.ImagesOf(pairs, chip);
            o["iso_19795"] = IsoReport(VerificationFigures.Acquisition(images), scored, engine.Thresholds);
            o["gate_evidence"] = GateEvidenceReport(scored, engine.Thresholds);
            var refused = new JsonObject();
            foreach (var (key, res) in evaluator.Cache.Where(kv => !kv.Value.Accepted).OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                refused[key] = string.Join(",", res.Reasons);
            }

            o["refused_images"] = refused;
            // What each refusal cost or saved: the pair's score had the gates let the images through.
            o["refused_pairs"] = new JsonArray(scored.Where(p => p.Score is null).Select(p => (JsonNode)new JsonObject
            {
                ["a"] = p.PathA,
                ["b"] = p.PathB,
                ["same"] = p.Same,
                ["reasons"] = string.Join(",", p.Refusals),
                ["ungated_score"] = p.UngatedScore is { } u ? Math.Round(u, 4) : null,
            }).ToArray());
            if (r.GetValue(scoresOpt) is { } scoresFile)
            {
                static string Q(FaceQuality? q) => q is null ? "\t\t\t" : Inv($"{q.Yaw:F3}\t{q.RollDegrees:F1}\t{q.Sharpness:F0}\t{q.FaceWidthPx:F0}");
                await File.WriteAllLinesAsync(scoresFile, ScoresHeader.Concat(
                    scored.Select(p => Inv($"{p.PathA}\t{p.PathB}\t{(p.Same ? 1 : 0)}\t{(p.Score is { } s ? s.ToString("F5", CultureInfo.InvariantCulture) : "refused")}\t{p.UngatedScore:F5}\t{Q(p.QualityA)}\t{Q(p.QualityB)}"))), ct);
            }

            o["quality"] = QualitySummary(images.Where(v => v.Quality is not null).Select(v => v.Quality!).ToList());
            o["quality_b"] = QualitySummary(scored.Select(p => p.QualityB).OfType<FaceQuality>().ToList());
            o["set"] = set;
            o["simulate_chip"] = chip;
            o["pairs_as_labelled"] = labelled.Count;
            o["set_aside_as_label_errors"] = new JsonArray(setAside.Select(e => (JsonNode)new JsonObject
            {
                ["a"] = e.PathA,
                ["b"] = e.PathB,
                ["labelled_same"] = e.LabelledSame,
                ["reason"] = e.Reason,
            }).ToArray());
            if (r.GetValue(degradeOpt) is { Length: > 0 } levels)
            {
                o["degradation_sweep"] = await DegradationSweep(evaluator, root, pairs, chip, levels.Select(Degradation.Parse).ToList(), engine.Thresholds, r.GetValue(JsonOption), ct);
            }
            if (r.GetValue(plotOpt) is { } plot)
            {
                FacePlot.Write(plot, $"{o["set"]}{(chip ? " chip" : "")} {engine.Profile.Version}", scored, engine.Thresholds);
                o["plot"] = plot;
            }

            if (r.GetValue(JsonOption))
            {
                Console.WriteLine(o.ToJsonString(Compact));
            }
            else
            {
                WriteEvalSummary(o);
            }

            return 0;
        });
        return c;
    }

    /// <summary>min / 1st percentile / median / 99th percentile / max of each quality figure.</summary>
    internal static JsonObject QualitySummary(IReadOnlyList<FaceQuality> q)
    {
        JsonArray Stats(IEnumerable<double> values)
        {
            var v = values.Order().ToArray();
            if (v.Length == 0)
            {
                return [];
            }

            double P(double f) => Math.Round(v[(int)Math.Min(v.Length - 1, Math.Floor(f * v.Length))], 3);
            return [P(0), P(0.01), P(0.5), P(0.99), Math.Round(v[^1], 3)];
        }

        return new JsonObject
        {
            ["columns"] = new JsonArray("min", "p1", "median", "p99", "max"),
            ["detector_score"] = Stats(q.Select(x => x.DetectorScore)),
            ["face_width_px"] = Stats(q.Select(x => x.FaceWidthPx)),
            ["sharpness"] = Stats(q.Select(x => x.Sharpness)),
            ["brightness"] = Stats(q.Select(x => x.Brightness)),
            ["saturated_fraction"] = Stats(q.Select(x => x.SaturatedFraction)),
            ["abs_yaw"] = Stats(q.Select(x => Math.Abs(x.Yaw))),
            ["abs_roll_deg"] = Stats(q.Select(x => Math.Abs(x.RollDegrees))),
            ["pitch"] = Stats(q.Select(x => x.Pitch)),
        };
    }

    internal static JsonObject EvalReport(FaceEngine engine, IReadOnlyList<ScoredPair> scored, double wallMs)
    {
        var t = engine.Thresholds;
        var gen = scored.Where(p => p.Same).ToList();
        var imp = scored.Where(p => !p.Same).ToList();
        var best = FaceMetrics.BestThreshold(scored);
        return new JsonObject
        {
            ["model"] = engine.ModelVersion,
            ["pairs"] = scored.Count,
            ["genuine"] = gen.Count,
            ["impostor"] = imp.Count,
            ["accuracy"] = Math.Round(FaceMetrics.AccuracyAt(scored, t.Review), 5),
            ["threshold"] = Math.Round(t.Review, 5),
            ["threshold_note"] = "accuracy is at the calibrated product threshold: score >= REVIEW threshold (FAR 1e-3) is not rejected as NO_MATCH; refused pairs count as NO_MATCH",
            ["accuracy_at_match_threshold"] = Math.Round(FaceMetrics.AccuracyAt(scored, t.Match), 5),
            ["match_threshold"] = Math.Round(t.Match, 5),
            ["cv10_accuracy"] = Math.Round(FaceMetrics.CrossValidatedAccuracy(scored), 5),
            ["best_threshold"] = Math.Round(best, 5),
            ["best_threshold_accuracy"] = Math.Round(FaceMetrics.AccuracyAt(scored, best), 5),
            ["auc"] = Math.Round(FaceMetrics.Auc(scored), 5),
            // TAR at the calibrated FAR 1e-3 score (pooled impostors; a pairs file alone has too few impostors for 1e-3).
            ["tar_at_far_1e-3"] = Math.Round(gen.Count == 0 ? double.NaN : (double)gen.Count(p => p.Score >= t.Review) / gen.Count, 5),
            ["tar_at_far_1e-3_set_only"] = Math.Round(FaceMetrics.TarAtFar(scored, 1e-3), 5),
            ["tar_at_far_1e-4"] = Math.Round(gen.Count == 0 ? double.NaN : (double)gen.Count(p => p.Score >= t.Match) / gen.Count, 5),
            ["rejected"] = scored.Count(p => p.Score is null),
            ["genuine_min"] = gen.Count == 0 ? null : Math.Round(gen.Min(p => p.Score ?? -1), 4),
            ["impostor_max"] = imp.Count == 0 ? null : Math.Round(imp.Max(p => p.Score ?? -1), 4),
            ["ms_per_pair"] = Math.Round(wallMs / Math.Max(1, scored.Count), 2),
            ["pool"] = engine.PoolSize,
        };
    }

    private static Command CalibrateCommand()
    {
        var dataOpt = new Option<string?>("--data") { Description = "Folder holding the face sets (default: <shared>/data/faces)" };
        var setsOpt = new Option<string[]>("--sets") { Description = "Sets to use", DefaultValueFactory = _ => ["lfw", "deepface", "face_recognition"], AllowMultipleArgumentsPerToken = true };
        var noChipOpt = new Option<bool>("--no-chip") { Description = "Skip the chip-simulated document vs clean photo impostor pairs" };
        var outOpt = new Option<string?>("--out") { Description = "Calibration file to update (default: the repo's grains/RealName.Face/calibration.json)" };
        var c = new Command("calibrate", "Measure the scores at FAR 1e-3 / 1e-4 / 1e-5 on all cross-identity impostor pairs and write the calibration file") { dataOpt, setsOpt, outOpt, noChipOpt };
        AddEngineOptions(c);
        c.SetAction(async (r, ct) =>
        {
            var data = r.GetValue(dataOpt) ?? Path.Combine(SharedPaths.DataRoot(), "faces");
            using var engine = CreateEngine(r, uncalibrated: true);
            var evaluator = new FaceEvaluator(engine);
            var entry = new CalibrationEntry
            {
                Date = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                Command = ("realname face calibrate " + string.Join(' ', Environment.GetCommandLineArgs().Skip(3))).TrimEnd(),
            };
            var pooled = new List<double>();
            var pooledChip = new List<double>();
            var genuine = new List<double>();
            var chip = !r.GetValue(noChipOpt);
            // No --json here: the figures go to stdout line by line, the bars to stderr.
            await CliProgress.RunAsync(quiet: false, async progress =>
            {
                foreach (var set in r.GetValue(setsOpt)!)
                {
                    var root = Path.Combine(data, set);
                    var ids = FaceDataSets.ReadIdentities(root);
                    var templates = await evaluator.ExtractAllAsync(root, ids.Select(i => i.Path), false, progress.Bar(set + " images"), ct);
                    var ok = ids.Where(i => templates[i.Path].Accepted).ToList();
                    entry.RejectedImages += ids.Count - ok.Count;
                    var scores = new List<double>();
                    for (var i = 0; i < ok.Count; i++)
                    {
                        for (var j = i + 1; j < ok.Count; j++)
                        {
                            var score = FaceDecider.Cosine(templates[ok[i].Path].Template!.Embedding, templates[ok[j].Path].Template!.Embedding);
                            (ok[i].Identity != ok[j].Identity ? scores : genuine).Add(score);
                        }
                    }

                    pooled.AddRange(scores);
                    entry.Sets[set] = Summarise(ok.Count, scores);
                    Console.WriteLine(Inv($"{set}: {ok.Count}/{ids.Count} images, {scores.Count} impostor pairs, FAR1e-3 {entry.Sets[set].Far1e3}, FAR1e-4 {entry.Sets[set].Far1e4}, max {entry.Sets[set].MaxImpostor}"));
                    if (chip)
                    {
                        // Every accepted image as a simulated chip portrait against every other identity's clean photo (ordered pairs).
                        var chips = await evaluator.ExtractAllAsync(root, ok.Select(i => i.Path), true, progress.Bar(set + " chip portraits"), ct);
                        var chipScores = new List<double>();
                        foreach (var a in ok.Where(i => chips[FaceEvaluator.Key(i.Path, true)].Accepted))
                        {
                            var ta = chips[FaceEvaluator.Key(a.Path, true)].Template!.Embedding;
                            chipScores.AddRange(ok.Where(b => b.Identity != a.Identity).Select(b => FaceDecider.Cosine(ta, templates[b.Path].Template!.Embedding)));
                        }

                        pooledChip.AddRange(chipScores);
                        var cs = Summarise(ok.Count, chipScores);
                        entry.Sets[set + "+chip"] = cs;
                        Console.WriteLine(Inv($"{set} chip vs clean: {chipScores.Count} impostor pairs, FAR1e-3 {cs.Far1e3}, FAR1e-4 {cs.Far1e4}, max {cs.MaxImpostor}"));
                    }
                }
            });

            entry.Clean = Summarise(0, pooled);
            entry.Chip = chip ? Summarise(0, pooledChip) : null;
            var all = pooled.Concat(pooledChip).ToList();
            entry.ImpostorPairs = all.Count;
            entry.Far1e3 = Math.Round(FaceMetrics.ThresholdAtFar(all, 1e-3, out var above3), 5);
            entry.Far1e4 = Math.Round(FaceMetrics.ThresholdAtFar(all, 1e-4, out var above4), 5);
            entry.Far1e5 = Math.Round(FaceMetrics.ThresholdAtFar(all, 1e-5, out var above5), 5);
            entry.ImpostorsAbove1e3 = above3;
            entry.ImpostorsAbove1e4 = above4;
            entry.ImpostorsAbove1e5 = above5;
            entry.GenuinePairs = genuine.Count;
            entry.TarAt1e5 = Math.Round(genuine.Count == 0 ? 0 : (double)genuine.Count(g => g >= entry.Far1e5.Value) / genuine.Count, 5);
            entry.MaxImpostor = Math.Round(all.DefaultIfEmpty(0).Max(), 5);
            var outFile = r.GetValue(outOpt) ?? FindRepoCalibration() ?? "calibration.json";
            var file = File.Exists(outFile) ? CalibrationFile.Load(outFile) : new CalibrationFile();
            file.Models[engine.ModelVersion] = entry;
            file.Save(outFile);
            Console.WriteLine(Inv($"{engine.ModelVersion}: {all.Count} impostor pairs (clean {pooled.Count}, chip {pooledChip.Count}); FAR 1e-3 => {entry.Far1e3} ({above3} above), FAR 1e-4 => {entry.Far1e4} ({above4} above), FAR 1e-5 => {entry.Far1e5} ({above5} above, TAR {entry.TarAt1e5} on {genuine.Count} genuine pairs); written to {outFile}"));
            return 0;
        });
        return c;
    }

    private static CalibrationSet Summarise(int images, List<double> scores) => new()
    {
        Images = images,
        ImpostorPairs = scores.Count,
        Far1e3 = Math.Round(FaceMetrics.ThresholdAtFar(scores, 1e-3, out _), 5),
        Far1e4 = Math.Round(FaceMetrics.ThresholdAtFar(scores, 1e-4, out _), 5),
        MaxImpostor = Math.Round(scores.DefaultIfEmpty(0).Max(), 5),
    };

    private static Command BenchCommand()
    {
        var itOpt = new Option<int>("--iterations") { Description = "Single-thread iterations per pair", DefaultValueFactory = _ => 20 };
        var c = new Command("bench", "Time decode/detect/align/embed per comparison, raw inference, and all-core throughput") { itOpt, JsonOption };
        AddEngineOptions(c);
        c.SetAction(async (r, ct) =>
        {
            var data = SharedPaths.DataRoot();
            var cases = new (string Name, string A, string B)[]
            {
                ("lfw 150x150 pair", Path.Combine(data, "faces/lfw/Adam_Sandler/Adam_Sandler_0001.jpg"), Path.Combine(data, "faces/lfw/Adam_Sandler/Adam_Sandler_0002.jpg")),
                ("id card 1920x928 vs selfie 928x1920", Path.Combine(data, "idcards/foamliu/id_card.jpg"), Path.Combine(data, "faces/foamliu_idcard/photo_1.jpg")),
            };
            using var engine = CreateEngine(r);
            var iterations = r.GetValue(itOpt);
            var report = new JsonObject { ["model"] = engine.ModelVersion, ["cores"] = Environment.ProcessorCount, ["pool"] = engine.PoolSize };

            // Cost of building a YuNet detector for a new input size (why the pipeline caches one per 160-px bucket).
            var swCreate = Stopwatch.StartNew();
            for (var i = 0; i < 5; i++)
            {
                using var d = OpenCvSharp.FaceDetectorYN.Create(engine.DetectorPath, "", new OpenCvSharp.Size(640, 480), 0.5f, 0.3f, 5000);
            }

            report["detector_create_ms"] = Math.Round(swCreate.Elapsed.TotalMilliseconds / 5, 2);
            var rows = new JsonArray();
            foreach (var (name, fa, fb) in cases)
            {
                var a = await File.ReadAllBytesAsync(fa, ct);
                var b = await File.ReadAllBytesAsync(fb, ct);
                var single = await engine.RunAsync(p =>
                {
                    _ = p.Extract(a, ImageRole.Document);
                    _ = p.Extract(b, ImageRole.Live); // warm-up (detector per input size is created once)
                    double dec = 0, det = 0, ali = 0, emb = 0, total = 0, rawFwd = 0, rawDet = 0;
                    using var img = p.Decode(a, out _, out _, out _)!;
                    var face = p.Extract(img, ImageRole.Document).Face!;
                    using var aligned = p.Align(img, face);
                    for (var i = 0; i < iterations; i++)
                    {
                        var sw = Stopwatch.StartNew();
                        var ra = p.Extract(a, ImageRole.Document);
                        var rb = p.Extract(b, ImageRole.Live);
                        total += sw.Elapsed.TotalMilliseconds;
                        foreach (var t in new[] { ra.Timings, rb.Timings })
                        {
                            dec += t.DecodeMs;
                            det += t.DetectMs;
                            ali += t.AlignMs;
                            emb += t.EmbedMs;
                        }

                        sw.Restart();
                        _ = p.Forward(aligned);
                        rawFwd += sw.Elapsed.TotalMilliseconds;
                        sw.Restart();
                        _ = p.Detect(img);
                        rawDet += sw.Elapsed.TotalMilliseconds;
                    }

                    return (dec / iterations, det / iterations, ali / iterations, emb / iterations, total / iterations, rawFwd / iterations, rawDet / iterations);
                }, ct);

                // Throughput: all pipelines busy.
                var n = Math.Max(8, iterations * engine.PoolSize);
                var swAll = Stopwatch.StartNew();
                // Each pipeline kept busy, within the engine's bounded wait queue.
                await Parallel.ForEachAsync(Enumerable.Range(0, n), new ParallelOptions { MaxDegreeOfParallelism = engine.PoolSize, CancellationToken = ct },
                    async (_, token) => await engine.CompareAsync(a, b, token));
                var perSec = n / swAll.Elapsed.TotalSeconds;
                rows.Add(new JsonObject
                {
                    ["case"] = name,
                    ["single_thread_ms_per_comparison"] = Math.Round(single.Item5, 2),
                    ["decode_ms"] = Math.Round(single.Item1, 2),
                    ["detect_ms"] = Math.Round(single.Item2, 2),
                    ["align_quality_ms"] = Math.Round(single.Item3, 2),
                    ["embed_ms"] = Math.Round(single.Item4, 2),
                    ["raw_recognizer_forward_ms"] = Math.Round(single.Item6, 2),
                    ["raw_detect_document_ms"] = Math.Round(single.Item7, 2),
                    ["throughput_comparisons_per_s_all_cores"] = Math.Round(perSec, 2),
                });
            }

            report["cases"] = rows;
            if (r.GetValue(JsonOption))
            {
                Console.WriteLine(report.ToJsonString(Compact));
            }
            else
            {
                Console.WriteLine(report.ToJsonString(Indented));
            }

            return 0;
        });
        return c;
    }
}
