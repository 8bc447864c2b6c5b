using System.Runtime.CompilerServices;
using Npgsql;
using NpgsqlTypes;
using RealName.Storage.Sealing;

namespace RealName.Storage;

/// <summary>One row of <c>face_templates</c> with its sealed value opened.</summary>
public sealed record StoredFaceTemplate(string TemplateId, string ModelVersion, byte[] Payload);

/// <summary>
/// The rows of the 1:N face index (schema 0090). The payload (template and owner, serialised by the index) is
/// sealed before it is written and opened as it is read.
/// </summary>
public sealed class FaceTemplateStore(NpgsqlDataSource dataSource, Sealer sealer)
{
    public async Task SaveAsync(string templateId, int bucket, string modelVersion, byte[] payload, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "INSERT INTO face_templates (template_id, bucket, model_version, sealed) VALUES ($1, $2, $3, $4) "
            + "ON CONFLICT (template_id) DO UPDATE SET bucket = EXCLUDED.bucket, model_version = EXCLUDED.model_version, sealed = EXCLUDED.sealed");
        command.Parameters.Add(new NpgsqlParameter { Value = templateId });
        command.Parameters.Add(new NpgsqlParameter { Value = bucket });
        command.Parameters.Add(new NpgsqlParameter { Value = modelVersion });
        command.Parameters.Add(new NpgsqlParameter { Value = sealer.Seal(payload), NpgsqlDbType = NpgsqlDbType.Bytea });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task DeleteAsync(string templateId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM face_templates WHERE template_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = templateId });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The rows of one shard: bucket mod <paramref name="shards"/> = <paramref name="shard"/>.</summary>
    public async IAsyncEnumerable<StoredFaceTemplate> LoadShardAsync(int shard, int shards, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT template_id, model_version, sealed FROM face_templates WHERE bucket % $1 = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = shards });
        command.Parameters.Add(new NpgsqlParameter { Value = shard });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return new StoredFaceTemplate(reader.GetString(0), reader.GetString(1), sealer.Open(reader.GetFieldValue<byte[]>(2)));
        }
    }
}
