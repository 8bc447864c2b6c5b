using Npgsql;

namespace RealName.Storage;

/// <summary>
/// The rows of <c>enterprise_iot_cards</c> (schema 0100): which numbers hold a place under an enterprise's IoT
/// approval. Each change is one statement, so a card costs one row, never a rewrite of the enterprise's whole set.
/// </summary>
public sealed class EnterpriseCardStore(NpgsqlDataSource dataSource)
{
    public async Task<int> CountAsync(string creditCode, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM enterprise_iot_cards WHERE credit_code = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = creditCode });
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<bool> HoldsAsync(string creditCode, string phoneNumber, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM enterprise_iot_cards WHERE credit_code = $1 AND phone_number = $2)");
        command.Parameters.Add(new NpgsqlParameter { Value = creditCode });
        command.Parameters.Add(new NpgsqlParameter { Value = phoneNumber });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Adds the cards not yet held; how many were new.</summary>
    public async Task<int> AddAsync(string creditCode, IReadOnlyCollection<string> phoneNumbers, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "INSERT INTO enterprise_iot_cards (credit_code, phone_number) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING");
        command.Parameters.Add(new NpgsqlParameter { Value = creditCode });
        command.Parameters.Add(new NpgsqlParameter { Value = phoneNumbers.ToArray() });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Whether the card held a place (and now does not).</summary>
    public async Task<bool> RemoveAsync(string creditCode, string phoneNumber, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM enterprise_iot_cards WHERE credit_code = $1 AND phone_number = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = creditCode });
        command.Parameters.Add(new NpgsqlParameter { Value = phoneNumber });
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }
}
