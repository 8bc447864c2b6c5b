using System.Globalization;
using System.Text.Json.Nodes;
using RealName.Face;
using RealName.Rules;

namespace RealName.Cli.Commands;

/// <summary>The ISO/IEC 19795-1 part of `realname face eval`, JSON and human.</summary>
internal static partial class FaceCommands
{
    internal static JsonObject IsoReport(AcquisitionFigures fta, IReadOnlyList<ScoredPair> scored, DecisionThresholds t)
    {
        var byReason = new JsonObject();
        foreach (var (reason, count) in fta.ByReason)
        {
            byReason[reason.ToString()] = new JsonObject { ["images"] = count, ["rate"] = Math.Round(fta.RateOf(reason), 5) };
        }

        return new JsonObject
        {
            ["note"] = "FTA over the distinct images of the pairs; FNMR/FMR over scored pairs; FRR/FAR per pair with refused genuine pairs as rejected; accuracy with refused pairs counted as errors, and left out",
            ["images"] = fta.Images,
            ["fta_images"] = fta.Refused,
            ["fta"] = Math.Round(fta.Rate, 5),
            ["fta_by_reason"] = byReason,
            ["review"] = Figures(VerificationFigures.At(scored, t.Review)),
            ["match"] = Figures(VerificationFigures.At(scored, t.Match)),
        };
    }

    private static JsonObject Figures(ThresholdFigures f) => new()
    {
        ["threshold"] = Math.Round(f.Threshold, 5),
        ["fnmr"] = Math.Round(f.Fnmr, 5),
        ["false_non_matches"] = f.FalseNonMatches,
        ["genuine_scored"] = f.GenuineScored,
        ["fmr"] = Math.Round(f.Fmr, 5),
        ["false_matches"] = f.FalseMatches,
        ["impostor_scored"] = f.ImpostorScored,
        ["refused_genuine"] = f.RefusedGenuine,
        ["refused_impostor"] = f.RefusedImpostor,
        ["frr"] = Math.Round(f.Frr, 5),
        ["far"] = Math.Round(f.Far, 5),
        ["accuracy_refusals_as_errors"] = Math.Round(f.AccuracyRefusalsAsErrors, 5),
        ["accuracy_refusals_excluded"] = Math.Round(f.AccuracyRefusalsExcluded, 5),
    };

    internal static JsonObject GateEvidenceReport(IReadOnlyList<ScoredPair> scored, DecisionThresholds t)
    {
        var o = new JsonObject { ["note"] = "genuine pairs scored with the gates off, binned by the quality measure of the worse image: [from, to), pairs, mean score, min score, pairs below REVIEW, below MATCH" };
        foreach (var (name, bins) in GateEvidence.Bin(scored, t))
        {
            o[name] = new JsonArray(bins.Select(b => (JsonNode)new JsonArray(b.From, double.IsInfinity(b.To) ? null : b.To, b.Pairs,
                Math.Round(b.MeanScore, 4), Math.Round(b.MinScore, 4), b.BelowReview, b.BelowMatch)).ToArray());
        }

        return o;
    }

    /// <summary>
    /// Per degradation of image B: what the default gates refuse, the median quality figures of B, and how the genuine pairs
    /// score with the gates off (FNMR at REVIEW, mean score). A gate should refuse where that FNMR starts to rise.
    /// </summary>
    private static async Task<JsonArray> DegradationSweep(FaceEvaluator evaluator, string root, IReadOnlyList<(string A, string B, bool Same)> pairs, bool chip,
        IReadOnlyList<Degradation> levels, DecisionThresholds t, bool quiet, CancellationToken ct)
    {
        var rows = new JsonArray();
        foreach (var d in levels)
        {
            var scored = await CliProgress.RunAsync(quiet, progress => evaluator.ScorePairsAsync(root, pairs, chip, d, null, progress.Bar("images B " + d), ct));
            var imagesB = pairs.Select(p => p.B).Distinct().Select(b => evaluator.Cache[FaceEvaluator.Key(b, false, d)]).ToList();
            var fta = VerificationFigures.Acquisition(imagesB);
            var genuine = scored.Where(p => p.Same).ToList();
            var ungated = genuine.Where(p => p.UngatedScore.HasValue).Select(p => p.UngatedScore!.Value).ToList();
            var q = imagesB.Select(i => i.Quality).OfType<FaceQuality>().ToList();
            double Median(Func<FaceQuality, double> f) => q.Count == 0 ? double.NaN : Math.Round(q.Select(f).Order().ElementAt(q.Count / 2), 3);
            rows.Add(new JsonObject
            {
                ["degrade_b"] = d.ToString(),
                ["images_b"] = imagesB.Count,
                ["fta_b"] = Math.Round(fta.Rate, 4),
                ["fta_b_by_reason"] = new JsonObject(fta.ByReason.Select(kv => KeyValuePair.Create(kv.Key.ToString(), (JsonNode?)kv.Value))),
                ["median_b"] = new JsonObject
                {
                    ["sharpness"] = Median(x => x.Sharpness),
                    ["face_width_px"] = Median(x => x.FaceWidthPx),
                    ["brightness"] = Median(x => x.Brightness),
                    ["saturated_fraction"] = Median(x => x.SaturatedFraction),
                    ["abs_roll_deg"] = Median(x => Math.Abs(x.RollDegrees)),
                },
                ["genuine_pairs"] = genuine.Count,
                ["genuine_no_face"] = genuine.Count - ungated.Count,
                ["ungated_fnmr_at_review"] = genuine.Count == 0 ? 0 : Math.Round((double)(genuine.Count - ungated.Count(s => s >= t.Review)) / genuine.Count, 4),
                ["ungated_mean_score"] = ungated.Count == 0 ? null : Math.Round(ungated.Average(), 4),
                ["gated_frr_at_review"] = Math.Round(VerificationFigures.At(scored, t.Review).Frr, 4),
            });
        }

        return rows;
    }

    /// <summary>The human form of an eval: the product-threshold figures first, then everything else on one line each.</summary>
    private static void WriteEvalSummary(JsonObject o)
    {
        static string P(JsonNode? n) => ((double?)n ?? 0).ToString("P2", CultureInfo.InvariantCulture);
        var iso = o["iso_19795"]!;
        Console.WriteLine($"{o["set"]}{((bool?)o["simulate_chip"] == true ? " (chip-simulated)" : "")}: {o["pairs"]} pairs, model {o["model"]}");
        if (o["set_aside_as_label_errors"]?.AsArray() is { Count: > 0 } setAside)
        {
            Console.WriteLine($"{setAside.Count} of {o["pairs_as_labelled"]} labelled pairs set aside as known label errors (--errata; listed below)");
        }

        Console.WriteLine($"failure to acquire: {iso["fta_images"]} of {iso["images"]} images = {P(iso["fta"])}");
        foreach (var kv in iso["fta_by_reason"]!.AsObject())
        {
            Console.WriteLine($"  {kv.Key}: {kv.Value!["images"]} images = {P(kv.Value["rate"])}");
        }

        foreach (var name in new[] { "review", "match" })
        {
            var f = iso[name]!;
            Console.WriteLine($"{name.ToUpperInvariant()} threshold {f["threshold"]}: FNMR {P(f["fnmr"])} ({f["false_non_matches"]}/{f["genuine_scored"]}), FMR {P(f["fmr"])} ({f["false_matches"]}/{f["impostor_scored"]}), " +
                $"accuracy {P(f["accuracy_refusals_as_errors"])} with refusals as errors, {P(f["accuracy_refusals_excluded"])} without them");
        }

        foreach (var kv in o.Where(kv => kv.Key is not ("iso_19795" or "set" or "model" or "pairs")))
        {
            Console.WriteLine($"{kv.Key}: {kv.Value?.ToJsonString(Compact)}");
        }
    }
}
