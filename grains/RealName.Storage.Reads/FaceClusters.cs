using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace RealName.Storage.Reads;

/// <summary>A number in a face cluster, with where it was registered.</summary>
public sealed record FaceClusterMemberData(string PhoneNumber, string IdentityKey, string? MaskedDocumentNumber, string? CarrierId, string? OutletId, string? ClerkId);

/// <summary>Identities linked by one face (transitively), with their numbers.</summary>
public sealed record FaceClusterData(int Identities, IReadOnlyList<FaceClusterMemberData> Members, double MaxScore, DateTimeOffset LastLinkedAt);

/// <summary>
/// The risk operators' view of the 1:N links: every FACE_LINKED risk event joins the registering identity with each
/// identity its face matched (its personal details); clusters are the connected groups (union-find over identity
/// keys), largest first. A row whose personal fields were purged at the end of retention links nothing any more.
/// </summary>
public sealed class FaceClusters(NpgsqlDataSource dataSource)
{
    public async Task<IReadOnlyList<FaceClusterData>> ListAsync(DateTimeOffset? since, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT occurred_at, phone_number, identity_key, carrier_id, outlet_id, clerk_id, personal_details
            FROM audit_events
            WHERE event_type = 'FACE_LINKED' AND identity_key IS NOT NULL AND personal_details IS NOT NULL AND (@since::timestamptz IS NULL OR occurred_at >= @since)
            ORDER BY seq
            """);
        command.Parameters.Add(new NpgsqlParameter("since", NpgsqlDbType.TimestampTz) { Value = since.HasValue ? since.Value : DBNull.Value });

        var groups = new UnionFind();
        var members = new Dictionary<string, FaceClusterMemberData>(StringComparer.Ordinal);
        var links = new List<(string IdentityKey, double Score, DateTimeOffset At)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var at = reader.GetFieldValue<DateTimeOffset>(0);
            var details = JsonSerializer.Deserialize<LinkedDetails>(reader.IsDBNull(6) ? "{}" : reader.GetString(6)) ?? new LinkedDetails();
            var subject = new FaceClusterMemberData(reader.GetString(1), reader.GetString(2), details.Registration?.MaskedDocumentNumber,
                Text(reader, 3), Text(reader, 4), Text(reader, 5));
            members[subject.PhoneNumber] = subject;
            foreach (var link in details.Links)
            {
                groups.Join(subject.IdentityKey, link.IdentityKey);
                members.TryAdd(link.PhoneNumber, new FaceClusterMemberData(link.PhoneNumber, link.IdentityKey, link.MaskedDocumentNumber, link.CarrierId, link.OutletId, link.ClerkId));
                links.Add((subject.IdentityKey, link.Score, at));
            }
        }

        var scores = links.GroupBy(l => groups.Root(l.IdentityKey)).ToDictionary(g => g.Key, g => (Max: g.Max(l => l.Score), Last: g.Max(l => l.At)));
        return [.. members.Values
            .GroupBy(m => groups.Root(m.IdentityKey))
            .Where(g => scores.ContainsKey(g.Key))
            .Select(g => new FaceClusterData(
                g.Select(m => m.IdentityKey).Distinct(StringComparer.Ordinal).Count(),
                [.. g.OrderBy(m => m.IdentityKey, StringComparer.Ordinal).ThenBy(m => m.PhoneNumber, StringComparer.Ordinal)],
                scores[g.Key].Max,
                scores[g.Key].Last))
            .OrderByDescending(c => c.Identities)
            .ThenByDescending(c => c.Members.Count)
            .ThenByDescending(c => c.LastLinkedAt)
            .Take(limit)];
    }

    private static string? Text(NpgsqlDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetString(column);

    private sealed class UnionFind
    {
        private readonly Dictionary<string, string> parent = new(StringComparer.Ordinal);

        public string Root(string key)
        {
            var root = key;
            while (parent.TryGetValue(root, out var up) && up != root)
            {
                root = up;
            }

            // Path compression: everything on the way now points at the root.
            while (parent.TryGetValue(key, out var up) && up != root)
            {
                parent[key] = root;
                key = up;
            }

            return root;
        }

        public void Join(string a, string b)
        {
            var (ra, rb) = (Root(a), Root(b));
            parent.TryAdd(ra, ra);
            if (ra != rb)
            {
                parent[rb] = ra;
            }
        }
    }

    private sealed class LinkedDetails
    {
        [System.Text.Json.Serialization.JsonPropertyName("registration")]
        public LinkedSubject? Registration { get; init; }

        [System.Text.Json.Serialization.JsonPropertyName("links")]
        public List<LinkedFace> Links { get; init; } = [];
    }

    private sealed class LinkedSubject
    {
        [System.Text.Json.Serialization.JsonPropertyName("masked_document_number")]
        public string? MaskedDocumentNumber { get; init; }
    }

    private sealed class LinkedFace
    {
        [System.Text.Json.Serialization.JsonPropertyName("phone_number")]
        public string PhoneNumber { get; init; } = "";

        [System.Text.Json.Serialization.JsonPropertyName("identity_key")]
        public string IdentityKey { get; init; } = "";

        [System.Text.Json.Serialization.JsonPropertyName("masked_document_number")]
        public string? MaskedDocumentNumber { get; init; }

        [System.Text.Json.Serialization.JsonPropertyName("carrier_id")]
        public string? CarrierId { get; init; }

        [System.Text.Json.Serialization.JsonPropertyName("outlet_id")]
        public string? OutletId { get; init; }

        [System.Text.Json.Serialization.JsonPropertyName("clerk_id")]
        public string? ClerkId { get; init; }

        [System.Text.Json.Serialization.JsonPropertyName("score")]
        public double Score { get; init; }
    }
}
