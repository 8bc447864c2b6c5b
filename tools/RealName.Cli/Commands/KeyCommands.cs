using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using RealName.Storage.Sealing;

namespace RealName.Cli.Commands;

/// <summary>`realname keys ...`: the data keys that seal personal data at rest.</summary>
internal static class KeyCommands
{
    public static Command Create()
    {
        var keys = new Command("keys", "Data keys of the encryption at rest (needs the database and the master key)");
        keys.Subcommands.Add(RotateCommand());
        return keys;
    }

    /// <summary>
    /// Adds a data key, waits for the grid to adopt it, re-seals every record under it with progress, and
    /// retires the old keys. The grid keeps serving throughout.
    /// </summary>
    private static Command RotateCommand()
    {
        var connection = GridDatabase.ConnectionOption();
        var wait = new Option<TimeSpan>("--adoption-wait") { Description = "How long the grid gets to adopt the new key before re-sealing (at least Sealing:KeyRefreshInterval)", DefaultValueFactory = _ => TimeSpan.FromSeconds(15) };
        var json = new Option<bool>("--json") { Description = "Print one JSON object, no progress" };
        var command = new Command("rotate", "Introduce a new data key and re-seal existing records under it") { connection, wait, json };
        command.SetAction(async (r, ct) =>
        {
            await using var dataSource = GridDatabase.Open(r, connection);
            var ring = GridDatabase.DataKeys(dataSource);
            var rotation = new KeyRotation(dataSource, ring, new Sealer(ring));
            var quiet = r.GetValue(json);
            var progress = new Progress<RotationProgress>(p =>
            {
                if (!quiet)
                {
                    Console.Error.Write(string.Create(CultureInfo.InvariantCulture, $"\r{p.Table}: {p.Resealed}/{p.Total} re-sealed{(p.Resealed >= p.Total ? "\n" : "")}"));
                }
            });
            if (!quiet)
            {
                await Console.Error.WriteLineAsync($"adding a data key; the grid adopts it within {r.GetValue(wait).TotalSeconds:0} s");
            }

            var result = await rotation.RotateAsync(r.GetValue(wait), progress, ct);
            Console.WriteLine(quiet
                ? JsonSerializer.Serialize(new { new_key_id = result.NewKeyId, resealed = result.ResealedByTable, keys_retired = result.KeysRetired })
                : string.Create(CultureInfo.InvariantCulture, $"new data key {result.NewKeyId}; re-sealed {string.Join(", ", result.ResealedByTable.Select(t => $"{t.Key} {t.Value}"))}; {result.KeysRetired} older key(s) retired"));
            return 0;
        });
        return command;
    }
}
