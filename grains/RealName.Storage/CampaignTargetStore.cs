using System.Text;
using Npgsql;
using NpgsqlTypes;
using RealName.Storage.Sealing;

namespace RealName.Storage;

/// <summary>
/// The rows of <c>campaign_targets</c> (schema 0106): the numbers a re-review campaign works through, written once
/// when it starts and read a batch at a time by position, so a batch costs the same whatever the campaign's size.
/// The numbers are sealed (<see cref="Sealer"/>), never stored in clear.
/// </summary>
public sealed class CampaignTargetStore(NpgsqlDataSource dataSource, Sealer sealer)
{
    /// <summary>Replaces the campaign's targets with these, in this order (one transaction; a repeated start writes the same).</summary>
    public async Task ReplaceAsync(string campaignId, IReadOnlyList<string> phoneNumbers, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var delete = new NpgsqlCommand("DELETE FROM campaign_targets WHERE campaign_id = $1", connection, transaction))
        {
            delete.Parameters.Add(new NpgsqlParameter { Value = campaignId });
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var import = await connection.BeginBinaryImportAsync(
            "COPY campaign_targets (campaign_id, position, sealed_number) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            for (var position = 0; position < phoneNumbers.Count; position++)
            {
                await import.StartRowAsync(cancellationToken);
                await import.WriteAsync(campaignId, NpgsqlDbType.Text, cancellationToken);
                await import.WriteAsync(position, NpgsqlDbType.Integer, cancellationToken);
                await import.WriteAsync(sealer.Seal(Encoding.UTF8.GetBytes(phoneNumbers[position])), NpgsqlDbType.Bytea, cancellationToken);
            }

            await import.CompleteAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The targets at positions [<paramref name="from"/>, <paramref name="from"/> + <paramref name="count"/>), in order.</summary>
    public async Task<IReadOnlyList<string>> ReadAsync(string campaignId, int from, int count, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT sealed_number FROM campaign_targets WHERE campaign_id = $1 AND position >= $2 AND position < $3 ORDER BY position");
        command.Parameters.Add(new NpgsqlParameter { Value = campaignId });
        command.Parameters.Add(new NpgsqlParameter { Value = from });
        command.Parameters.Add(new NpgsqlParameter { Value = from + count });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var numbers = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            numbers.Add(Encoding.UTF8.GetString(sealer.Open(reader.GetFieldValue<byte[]>(0))));
        }

        return numbers;
    }

    public async Task DeleteAsync(string campaignId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM campaign_targets WHERE campaign_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = campaignId });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
