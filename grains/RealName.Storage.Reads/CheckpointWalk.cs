using System.Globalization;

namespace RealName.Storage.Reads;

/// <summary>
/// Follows one partition's signed checkpoints while its chain is walked in position order: each one must carry a valid
/// signature (when a public key is configured), link to the checkpoint before it, and name a row whose
/// hash is the one it signed; none may lie beyond the last row.
/// </summary>
internal sealed class CheckpointWalk(IReadOnlyList<AuditCheckpoint> checkpoints, AuditCheckpointVerifier? verifier)
{
    private int next;

    public long Checked => next;

    public long LastSeq => checkpoints.Count == 0 ? 0 : checkpoints[^1].Seq;

    public ChainBreakData? Check(ChainedAuditEvent row)
    {
        if (next >= checkpoints.Count || checkpoints[next].Seq != row.ChainSeq)
        {
            return null;
        }

        var checkpoint = checkpoints[next];
        var previous = next == 0 ? 0 : checkpoints[next - 1].Seq;
        if (verifier is not null && !verifier.Verify(checkpoint))
        {
            return Break(row.Seq, ChainProblemKind.CheckpointSignatureInvalid,
                $"the checkpoint at position {checkpoint.Seq} of partition {checkpoint.Partition} (key {checkpoint.KeyId}) does not carry a valid signature of key {verifier.KeyId}");
        }

        if (checkpoint.PreviousSeq != previous)
        {
            return Break(row.Seq, ChainProblemKind.CheckpointMissing,
                $"the checkpoint at position {checkpoint.Seq} of partition {checkpoint.Partition} follows the one at position {checkpoint.PreviousSeq}, which is missing (found {previous})");
        }

        if (!checkpoint.Hash.AsSpan().SequenceEqual(row.Hash))
        {
            return Break(row.Seq, ChainProblemKind.CheckpointMismatch,
                $"the checkpoint signed at {checkpoint.SignedAt:O} names hash {Convert.ToHexStringLower(checkpoint.Hash)} at position {checkpoint.Seq} of partition {checkpoint.Partition}, but the row there hashes to {Convert.ToHexStringLower(row.Hash)}: the chain up to here was rewritten");
        }

        next++;
        return null;
    }

    /// <summary>A checkpoint past the last row: the tail it signed was cut.</summary>
    public ChainBreakData? Beyond(long lastSeq) =>
        next < checkpoints.Count && checkpoints[next].Seq > lastSeq
            ? Break(checkpoints[next].Seq, ChainProblemKind.CheckpointMissing,
                $"the checkpoint at position {checkpoints[next].Seq} of partition {checkpoints[next].Partition} names a row past its chain's last row (position {lastSeq}): the tail was cut")
            : null;

    /// <summary>At the row's seq in the log, or for a cut tail the position the checkpoint names.</summary>
    private static ChainBreakData Break(long seq, ChainProblemKind problem, FormattableString detail) =>
        new(seq, problem, detail.ToString(CultureInfo.InvariantCulture));
}
