using Npgsql;

namespace RealName.Storage;

/// <summary>
/// The rows of <c>restricted_identities</c> (schema 0105): which identities ever had a restriction, by directory
/// shard. An identity restricted for the first time costs one row, never a rewrite of a shard's whole set.
/// </summary>
public sealed class RestrictedIdentityStore(NpgsqlDataSource dataSource)
{
    public async Task<IReadOnlyList<string>> ListAsync(int shard, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT identity_key FROM restricted_identities WHERE shard = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = (short)shard });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var keys = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(reader.GetString(0));
        }

        return keys;
    }

    /// <summary>Adds the identities not yet listed; how many were new.</summary>
    public async Task<int> AddAsync(int shard, IReadOnlyCollection<string> identityKeys, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "INSERT INTO restricted_identities (identity_key, shard) SELECT unnest($1::text[]), $2 ON CONFLICT DO NOTHING");
        command.Parameters.Add(new NpgsqlParameter { Value = identityKeys.ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = (short)shard });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
