using Npgsql;

namespace RealName.Storage;

/// <summary>Whether raw face images are kept, bound from configuration section "Evidence".</summary>
public sealed class EvidenceOptions
{
    public const string Section = "Evidence";

    /// <summary>
    /// Keep the portrait and live images of registrations for manual review (off: only templates are kept);
    /// they are deleted <c>Retention:EvidenceAfterReview</c> after the registration is decided.
    /// </summary>
    public bool KeepImages { get; set; }
}

/// <summary>
/// Stores the raw images of a registration, sealed, when <see cref="EvidenceOptions.KeepImages"/> is on, and
/// deletes them once their review no longer needs them or the number's retention ends.
/// </summary>
public sealed class EvidenceStore(NpgsqlDataSource dataSource, Sealing.Sealer sealer)
{
    public async Task SaveAsync(Guid eventId, IEnumerable<(string Person, string ImageKind, byte[] Image)> images, CancellationToken cancellationToken = default)
    {
        await using var batch = dataSource.CreateBatch();
        foreach (var (person, kind, image) in images)
        {
            var command = new NpgsqlBatchCommand(
                "INSERT INTO registration_evidence (event_id, person, image_kind, image) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING");
            command.Parameters.Add(new NpgsqlParameter { Value = eventId });
            command.Parameters.Add(new NpgsqlParameter { Value = person });
            command.Parameters.Add(new NpgsqlParameter { Value = kind });
            command.Parameters.Add(new NpgsqlParameter { Value = sealer.Seal(image) });
            batch.BatchCommands.Add(command);
        }

        if (batch.BatchCommands.Count > 0)
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>The images kept for a registration event, unsealed (for its reviewer); empty when none were kept or they are deleted.</summary>
    public async Task<IReadOnlyList<(string Person, string ImageKind, byte[] Image)>> LoadAsync(Guid eventId, CancellationToken cancellationToken = default)
    {
        await using var select = dataSource.CreateCommand("SELECT person, image_kind, image FROM registration_evidence WHERE event_id = $1 ORDER BY person, image_kind");
        select.Parameters.Add(new NpgsqlParameter { Value = eventId });
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        var images = new List<(string, string, byte[])>();
        while (await reader.ReadAsync(cancellationToken))
        {
            images.Add((reader.GetString(0), reader.GetString(1), sealer.Open(reader.GetFieldValue<byte[]>(2))));
        }

        return images;
    }

    /// <summary>Deletes every image kept for a registration event; returns how many (none on a repeat).</summary>
    public async Task<int> DeleteAsync(Guid eventId, CancellationToken cancellationToken = default)
    {
        await using var delete = dataSource.CreateCommand("DELETE FROM registration_evidence WHERE event_id = $1");
        delete.Parameters.Add(new NpgsqlParameter { Value = eventId });
        return await delete.ExecuteNonQueryAsync(cancellationToken);
    }
}
