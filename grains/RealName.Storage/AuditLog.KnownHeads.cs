using Npgsql;
using RealName.Storage.Reads;

namespace RealName.Storage;

/// <summary>
/// The append in one round trip, at a head this process already knows. The chain's head moves only with a row of
/// the chain, so an append that names the head it builds on (seq and hash) and moves it in the statement that
/// inserts the row cannot fork the chain: when another process moved the head first, the statement inserts nothing
/// and the locked append (<see cref="AppendLockedAsync"/>) decides.
/// </summary>
public sealed partial class AuditLog
{
    // The head moves to the new row's position and hash only if it is still where this process last saw it; the row
    // is inserted only if the head moved. One statement, so one transaction: a failed insert leaves the head in place.
    // seq is drawn from its sequence while the head row is locked by the UPDATE, as in the locked append.
    private static readonly string AppendAtHeadSql =
        "WITH moved AS (UPDATE audit_chain_heads SET seq = $30, hash = $23 WHERE chain_partition = $29 AND seq = $30 - 1 AND hash = $22 RETURNING 1) " +
        $"INSERT INTO audit_events ({InsertColumns}) SELECT {string.Join(", ", Enumerable.Range(1, InsertColumns.Split(',').Length).Select(i => "$" + i))} FROM moved";

    /// <summary>
    /// After another process moved a partition's head under this one, it reads the head before each append (two
    /// round trips, and rarely a miss) until it found the head where it left it this many times in a row: then this
    /// process is again the partition's only writer and appends at the head it knows.
    /// </summary>
    private const int QuietReadsToTrust = 8;

    private readonly PartitionHead[] partitionHeads = [.. Enumerable.Range(0, AuditChainOptions.MaxPartitions).Select(_ => new PartitionHead())];

    /// <summary>A partition's head as last seen, and the chain position of its last signed checkpoint then.</summary>
    private sealed record KnownHead(long Seq, byte[] Hash, long LastCheckpoint);

    /// <summary>What this process knows of one partition's head; one append per partition at a time (<see cref="Gate"/>).</summary>
    private sealed class PartitionHead
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        /// <summary>The head after this process's last append or read (null: read it first).</summary>
        public KnownHead? Known { get; set; }

        /// <summary>Reads that must find the head unmoved before <see cref="Known"/> is trusted again (0: trusted).</summary>
        public int QuietReadsNeeded { get; set; }
    }

    /// <summary>
    /// Appends at the known head in one statement, and says whether it had to read the head first ("known_head",
    /// "read_head"). Null, with nothing written, when the head moved elsewhere, a checkpoint is due, or the event id
    /// is already in the log (a retry): the locked append then decides, under the head's lock, whether the event is
    /// recorded, conflicts, or goes in.
    /// </summary>
    private async Task<string?> TryAppendAtKnownHeadAsync(int partition, AuditEvent auditEvent, CancellationToken cancellationToken)
    {
        var state = partitionHeads[partition];
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var head = state.Known;
        var path = "known_head";
        if (head is null || state.QuietReadsNeeded > 0)
        {
            path = "read_head";
            var read = await ReadHeadAsync(connection, partition, cancellationToken);
            if (head is not null)
            {
                state.QuietReadsNeeded = read.Seq == head.Seq ? state.QuietReadsNeeded - 1 : QuietReadsToTrust;
            }

            head = read;
        }

        state.Known = null;
        var next = head.Seq + 1;
        if (signer?.IsDueByCount(next, head.LastCheckpoint) == true)
        {
            return null;
        }

        var hash = AuditChain.ComputeHash(head.Hash, next, auditEvent);
        await using var append = new NpgsqlBatch(connection) { BatchCommands = { InsertCommand(AppendAtHeadSql, partition, next, auditEvent, head.Hash, hash) } };
        // Prepared once per pooled connection (a look-up after that): the 30-column insert is not parsed and planned
        // on every append. An explicit prepare, unlike Npgsql's automatic one, survives a failed execution (npgsql#6391).
        await append.PrepareAsync(cancellationToken);
        try
        {
            if (await append.ExecuteNonQueryAsync(cancellationToken) != 1)
            {
                state.QuietReadsNeeded = QuietReadsToTrust;
                return null;
            }
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return null;
        }

        state.Known = head with { Seq = next, Hash = hash };
        return path;
    }

    private async Task<KnownHead> ReadHeadAsync(NpgsqlConnection connection, int partition, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection) { BatchCommands = { Command(ReadHeadSql, (short)partition) } };
        AddLastCheckpoint(batch, partition);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var (seq, hash) = await ReadHeadAsync(reader, partition, cancellationToken);
        return new KnownHead(seq, hash, await ReadLastCheckpointAsync(reader, cancellationToken));
    }
}
