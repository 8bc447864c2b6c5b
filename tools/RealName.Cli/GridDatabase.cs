using System.CommandLine;
using Microsoft.Extensions.Options;
using Npgsql;
using RealName.Storage.Sealing;

namespace RealName.Cli;

/// <summary>
/// How the commands that work on a grid's database directly (`keys rotate`, `face index-seed`) find it and its master
/// key: `--connection` or the grid's own setting names in the environment (as `data/secrets.env` gives them).
/// </summary>
internal static class GridDatabase
{
    public static Option<string?> ConnectionOption() =>
        new("--connection") { Description = "Npgsql connection string (default: ConnectionStrings__RealName)" };

    public static NpgsqlDataSource Open(ParseResult r, Option<string?> connection) =>
        NpgsqlDataSource.Create(r.GetValue(connection) ?? Environment.GetEnvironmentVariable("ConnectionStrings__RealName")
            ?? throw new ArgumentException("--connection or ConnectionStrings__RealName is required"));

    /// <summary>The sealer of the grid's data keys, under the master key of Sealing__MasterKey / Sealing__MasterKeyId.</summary>
    public static DataKeyRing DataKeys(NpgsqlDataSource dataSource) =>
        new(dataSource, Options.Create(new SealingOptions
        {
            MasterKey = Environment.GetEnvironmentVariable("Sealing__MasterKey") ?? "",
            MasterKeyId = Environment.GetEnvironmentVariable("Sealing__MasterKeyId") ?? new SealingOptions().MasterKeyId,
        }), TimeProvider.System);
}
