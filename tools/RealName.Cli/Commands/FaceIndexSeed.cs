using System.CommandLine;
using RealName.Face;
using RealName.Grains.FaceIndex;
using RealName.Storage;
using RealName.Storage.Sealing;

namespace RealName.Cli.Commands;

/// <summary>
/// `realname face index-seed`: fills a grid's 1:N index with random unit-vector templates, sealed and stored exactly as
/// the shard grains store an admitted registration's face, so a benchmark can run registrations against a gallery of
/// realistic size. The shards read them when they next activate (restart the grid after seeding). Seeded rows are
/// owned by no real number (owner "seed"); `--remove` deletes them again.
/// </summary>
internal static partial class FaceCommands
{
    private const string SeedPrefix = "seed-";

    private static Command IndexSeedCommand()
    {
        var count = new Option<int>("--templates") { Description = "Random templates to add", DefaultValueFactory = _ => 100_000 };
        var connection = GridDatabase.ConnectionOption();
        var version = new Option<string?>("--model-version") { Description = "Model version of the templates (default: the default engine profile's)" };
        var remove = new Option<bool>("--remove") { Description = "Delete every seeded template instead" };
        var c = new Command("index-seed", "Add random templates to a grid's 1:N index (benchmarks only; restart the grid afterwards)") { count, connection, version, remove };
        c.SetAction(async (r, ct) =>
        {
            await using var dataSource = GridDatabase.Open(r, connection);
            if (r.GetValue(remove))
            {
                await using var delete = dataSource.CreateCommand($"DELETE FROM face_templates WHERE template_id LIKE '{SeedPrefix}%'");
                Console.WriteLine(Inv($"removed {await delete.ExecuteNonQueryAsync(ct)} seeded templates"));
                return 0;
            }

            var store = new FaceTemplateStore(dataSource, new Sealer(GridDatabase.DataKeys(dataSource)));
            var modelVersion = r.GetValue(version) ?? new FaceOptions().ResolveProfile().EffectiveVersion;
            var total = r.GetValue(count);
            var run = Guid.NewGuid().ToString("N")[..8];
            var owner = new FaceOwner("seed", "seed", "seed", "seed", "seed", "seed", "seed", DateTimeOffset.UtcNow);
            await CliProgress.RunAsync(quiet: false, async progress =>
            {
                var bar = progress.Bar("seeded templates");
                var done = 0;
                await Parallel.ForAsync(0, total, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (i, token) =>
                {
                    var embedding = Normalised(RandomUnit(Random.Shared.Next(), 128));
                    var id = Inv($"{SeedPrefix}{run}-{i}");
                    var face = new IndexedFace(id, embedding, modelVersion, owner);
                    await store.SaveAsync(id, FaceIndexShards.BucketOf(id), modelVersion, IndexedFaceCodec.Encode(face), token);
                    bar(Interlocked.Increment(ref done), total);
                });
            });
            Console.WriteLine(Inv($"seeded {total} random templates ({modelVersion}); restart the grid so the index shards load them"));
            return 0;
        });
        return c;
    }

    private static float[] RandomUnit(int seed, int dimensions) => RandomUnit(new Random(seed), new float[dimensions]);

    private static float[] Normalised(float[] vector)
    {
        var norm = MathF.Sqrt(vector.Sum(v => v * v));
        return [.. vector.Select(v => v / norm)];
    }
}
