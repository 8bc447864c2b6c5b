using System.ComponentModel.DataAnnotations;

namespace RealName.Grains.FaceIndex;

/// <summary>The 1:N face index, bound from configuration section "FaceIndex".</summary>
public sealed class FaceIndexOptions
{
    public const string Section = "FaceIndex";

    /// <summary>
    /// Shard grains the templates are spread over. Every search asks all of them at once, so more shards than the
    /// cluster has cores buys nothing; fewer leaves cores idle. Changing it regroups the rows on the next activation.
    /// </summary>
    [Range(1, 1024, ErrorMessage = "FaceIndex:Shards must be between {1} and {2}.")]
    public int Shards { get; set; } = 4;

    /// <summary>
    /// At most this many hits per search (the best first). Every hit is described in the FACE_LINKED audit event,
    /// whose details the audit table bounds (16,384 characters, script 0024): 32 hits of the longest ids fit.
    /// </summary>
    [Range(1, 32, ErrorMessage = "FaceIndex:TopK must be between {1} and {2}.")]
    public int TopK { get; set; } = 10;

    /// <summary>
    /// Search the live face at registration and re-review (a hit under another identity parks the registration in
    /// review). Off only while an index is being built for an existing population; templates are indexed either way.
    /// </summary>
    public bool SearchAtRegistration { get; set; } = true;
}
