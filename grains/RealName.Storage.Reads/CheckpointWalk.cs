using System.Globalization;

namespace RealName.Storage.Reads;

/// <summary>
/// Follows the signed checkpoints while the chain is walked in seq order: each one must carry a valid
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
        if (next >= checkpoints.Count || checkpoints[next].Seq != row.Seq)
        {
            return null;
        }

        var checkpoint = checkpoints[next];
        var previous = next == 0 ? 0 : checkpoints[next - 1].Seq;
        if (verifier is not null && !verifier.Verify(checkpoint))
        {
            return Break(checkpoint, ChainProblemKind.CheckpointSignatureInvalid,
                $"the checkpoint at seq {checkpoint.Seq} (key {checkpoint.KeyId}) does not carry a valid signature of key {verifier.KeyId}");
        }

        if (checkpoint.PreviousSeq != previous)
        {
            return Break(checkpoint, ChainProblemKind.CheckpointMissing,
                $"the checkpoint at seq {checkpoint.Seq} follows the one at seq {checkpoint.PreviousSeq}, which is missing (found {previous})");
        }

        if (!checkpoint.Hash.AsSpan().SequenceEqual(row.Hash))
        {
            return Break(checkpoint, ChainProblemKind.CheckpointMismatch,
                $"the checkpoint signed at {checkpoint.SignedAt:O} names hash {Convert.ToHexStringLower(checkpoint.Hash)} at seq {checkpoint.Seq}, but the row there hashes to {Convert.ToHexStringLower(row.Hash)}: the chain up to here was rewritten");
        }

        next++;
        return null;
    }

    /// <summary>A checkpoint past the last row: the tail it signed was cut.</summary>
    public ChainBreakData? Beyond(long lastSeq) =>
        next < checkpoints.Count && checkpoints[next].Seq > lastSeq
            ? Break(checkpoints[next], ChainProblemKind.CheckpointMissing,
                $"the checkpoint at seq {checkpoints[next].Seq} names a row past the chain's last row (seq {lastSeq}): the tail was cut")
            : null;

    private static ChainBreakData Break(AuditCheckpoint checkpoint, ChainProblemKind problem, FormattableString detail) =>
        new(checkpoint.Seq, problem, detail.ToString(CultureInfo.InvariantCulture));
}
