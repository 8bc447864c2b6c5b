using System.ComponentModel.DataAnnotations;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using RealName.Storage.Reads;

namespace RealName.Storage;

/// <summary>
/// How many partitions new audit events are spread over (configuration section <c>AuditChain</c>). Each
/// partition is a hash chain with its own head, so appends about different subjects do not wait on each
/// other. Changing the count is safe: stored rows keep their partition and verify as before; a subject's
/// later events may then land in another partition (the log's seq still orders them).
/// </summary>
public sealed class AuditChainOptions
{
    public const string Section = "AuditChain";

    /// <summary>The schema (0110) holds heads for partitions 0-255.</summary>
    public const int MaxPartitions = 256;

    [Range(1, MaxPartitions, ErrorMessage = "AuditChain:Partitions must be between {1} and {2}.")]
    public int Partitions { get; set; } = 16;
}

/// <summary>Which partition of the audit chain an event belongs to: a stable hash of its subject.</summary>
public static class AuditChainPartitions
{
    /// <summary>
    /// The subject is the phone number, else the identity key; events about neither (configuration, callers)
    /// go to partition 0. SHA-256, not string.GetHashCode, so every process and every release agrees.
    /// </summary>
    public static int Of(AuditEvent auditEvent, int partitions) => OfSubject(auditEvent.PhoneNumber ?? auditEvent.IdentityKey, partitions);

    /// <summary>The partition of the events about one subject (a phone number or an identity key).</summary>
    public static int OfSubject(string? subject, int partitions)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(partitions, AuditChainOptions.MaxPartitions);
        if (partitions == 1 || string.IsNullOrEmpty(subject))
        {
            return 0;
        }

        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(subject), digest);
        return (int)(BinaryPrimitives.ReadUInt32BigEndian(digest) % (uint)partitions);
    }
}
