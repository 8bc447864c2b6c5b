using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using Npgsql;
using NpgsqlTypes;
using RealName.Rules;

namespace RealName.Storage.Reads;

/// <summary>
/// The auditors' queries over audit_events: consistency reports, number traces, exports, chain
/// verification, fraud drill-down and campaign target selection. Everything is SQL over the log; the
/// indexes are in Schema/0005 and 0006. docs/auditing.md defines every figure.
/// </summary>
public sealed class AuditReports(NpgsqlDataSource dataSource, CivilCalendar calendar, AuditCheckpointVerifier? checkpointVerifier = null)
{
    /// <summary>The civil calendar (Calendar:UtcOffset) days, weeks and months are counted in.</summary>
    public CivilCalendar Calendar => calendar;

    public const int DefaultVerifyBatchSize = 10_000;

    private const string Columns = AuditRows.Columns;

    private const string ReportEventTypes =
        "('REGISTRATION_DECIDED', 'REVIEW_DECIDED', 'RE_REVIEW_TRIGGERED', 'RE_REVIEW_DECIDED', 'SUSPENDED', 'RESTORED', 'FRAUD_REPORTED')";

    /// <summary>
    /// Numbers in a face cluster (named by a FACE_LINKED event, as the registration searched or as a match it found; purged
    /// rows name none) and numbers with a confirmed fraud report. Registrations of those numbers are counted whenever the
    /// link or confirmation came, so a registration counts once it is later linked.
    /// </summary>
    private const string FlaggedNumbers = """
        WITH linked AS (
            SELECT phone_number AS phone FROM audit_events WHERE event_type = 'FACE_LINKED' AND phone_number IS NOT NULL
            UNION
            SELECT link ->> 'phone_number' FROM audit_events, jsonb_array_elements(personal_details::jsonb -> 'links') AS link
            WHERE event_type = 'FACE_LINKED' AND personal_details IS NOT NULL
        ), confirmed AS (
            SELECT DISTINCT phone_number AS phone FROM audit_events WHERE event_type = 'FRAUD_REPORT_CONFIRMED' AND phone_number IS NOT NULL
        )
        """;

    public async Task<ConsistencyReportData> GetConsistencyReportAsync(ReportQuery query, CancellationToken cancellationToken = default)
    {
        var bucket = BucketSql(query.Bucket);
        var dimension = DimensionSql(query.Dimension);
        var rows = new Dictionary<(DateTime Bucket, string Dimension), ReportRowData>();
        ReportRowData? total = null;

        // One scan: GROUPING SETS gives the rows and the period total (distinct fraud numbers do not add up).
        var countsSql = $"""
            {FlaggedNumbers}
            SELECT b, d, GROUPING(b, d) AS g,
                count(*) FILTER (WHERE event_type = 'REGISTRATION_DECIDED'),
                count(*) FILTER (WHERE event_type = 'REGISTRATION_DECIDED' AND decision = 'APPROVED'),
                count(*) FILTER (WHERE event_type = 'REGISTRATION_DECIDED' AND face_compared),
                count(*) FILTER (WHERE event_type = 'REGISTRATION_DECIDED' AND face_compared AND face_decision = 'MATCH'),
                count(*) FILTER (WHERE event_type = 'REGISTRATION_DECIDED' AND decision = 'PENDING_REVIEW'),
                count(*) FILTER (WHERE event_type = 'REVIEW_DECIDED' AND decision = 'APPROVED'),
                count(*) FILTER (WHERE event_type = 'REVIEW_DECIDED' AND decision = 'REJECTED'),
                count(*) FILTER (WHERE event_type = 'REGISTRATION_DECIDED' AND decision = 'REFUSED'),
                count(*) FILTER (WHERE event_type = 'RE_REVIEW_TRIGGERED'),
                count(*) FILTER (WHERE event_type = 'RE_REVIEW_DECIDED' AND decision = 'PASSED'),
                count(*) FILTER (WHERE event_type = 'RE_REVIEW_DECIDED' AND decision = 'FAILED'),
                count(*) FILTER (WHERE event_type = 'SUSPENDED' AND 'RE_REVIEW_OVERDUE' = ANY (reasons)),
                count(*) FILTER (WHERE event_type = 'SUSPENDED'),
                count(*) FILTER (WHERE event_type = 'RESTORED'),
                count(DISTINCT phone_number) FILTER (WHERE event_type = 'FRAUD_REPORTED'),
                count(*) FILTER (WHERE admitted AND face_linked),
                count(*) FILTER (WHERE admitted AND fraud_confirmed)
            FROM (
                SELECT {bucket} AS b, {dimension} AS d, event_type, decision, face_compared, face_decision, reasons, phone_number,
                    event_type = 'REGISTRATION_DECIDED' AND decision IN ('APPROVED', 'PENDING_REVIEW') AS admitted,
                    l.phone IS NOT NULL AS face_linked, c.phone IS NOT NULL AS fraud_confirmed
                FROM audit_events
                LEFT JOIN linked l ON event_type = 'REGISTRATION_DECIDED' AND l.phone = phone_number
                LEFT JOIN confirmed c ON event_type = 'REGISTRATION_DECIDED' AND c.phone = phone_number
                WHERE occurred_at >= @from AND occurred_at < @to AND event_type IN {ReportEventTypes}
            ) e
            GROUP BY GROUPING SETS ((b, d), ())
            """;

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var command = new NpgsqlCommand(countsSql, connection))
        {
            AddPeriod(command, query.From, query.To);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var row = reader.GetInt32(2) == 0 ? NewRow(rows, query, reader.GetDateTime(0), reader.GetString(1)) : total = NewTotal(query);
                row.Registrations = reader.GetInt64(3);
                row.RegistrationsApproved = reader.GetInt64(4);
                row.FaceCompared = reader.GetInt64(5);
                row.FaceMatched = reader.GetInt64(6);
                row.ManualReviews = reader.GetInt64(7);
                row.ReviewsApproved = reader.GetInt64(8);
                row.ReviewsRejected = reader.GetInt64(9);
                row.Refusals = reader.GetInt64(10);
                row.ReReviewsTriggered = reader.GetInt64(11);
                row.ReReviewsPassed = reader.GetInt64(12);
                row.ReReviewsFailed = reader.GetInt64(13);
                row.ReReviewsOverdue = reader.GetInt64(14);
                row.Suspensions = reader.GetInt64(15);
                row.Restorations = reader.GetInt64(16);
                row.FraudReportedNumbers = reader.GetInt64(17);
                row.FaceLinkedRegistrations = reader.GetInt64(18);
                row.FraudConfirmedRegistrations = reader.GetInt64(19);
            }
        }

        total ??= NewTotal(query);

        var refusalsSql = $"""
            SELECT b, d, reason, GROUPING(b, d) AS g, count(*)
            FROM (
                SELECT {bucket} AS b, {dimension} AS d, coalesce(r.reason, 'UNKNOWN') AS reason
                FROM audit_events LEFT JOIN LATERAL unnest(reasons) AS r(reason) ON true
                WHERE occurred_at >= @from AND occurred_at < @to AND event_type = 'REGISTRATION_DECIDED' AND decision = 'REFUSED'
            ) e
            GROUP BY GROUPING SETS ((b, d, reason), (reason))
            """;
        await using (var command = new NpgsqlCommand(refusalsSql, connection))
        {
            AddPeriod(command, query.From, query.To);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var row = reader.GetInt32(3) == 0 ? NewRow(rows, query, reader.GetDateTime(0), reader.GetString(1)) : total;
                row.RefusalsByReason[reader.GetString(2)] = reader.GetInt64(4);
            }
        }

        var ordered = rows.OrderBy(r => r.Key.Bucket).ThenBy(r => r.Key.Dimension, StringComparer.Ordinal).Select(r => r.Value).ToList();
        return new ConsistencyReportData(query, ordered, total);
    }

    /// <summary>Every event of a number in chain order, with who registered and who reviewed it.</summary>
    public async Task<NumberTrace> TraceNumberAsync(string phoneNumber, CancellationToken cancellationToken = default)
    {
        var events = new List<ChainedAuditEvent>();
        await using (var command = dataSource.CreateCommand($"SELECT {Columns} FROM audit_events WHERE phone_number = @phone ORDER BY seq"))
        {
            command.Parameters.AddWithValue("phone", phoneNumber);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                events.Add(AuditRows.Read(reader));
            }
        }

        var registration = events.LastOrDefault(e => e.Event.EventType == AuditEventTypes.RegistrationDecided);
        var reviewers = events.Where(e => e.Event.EventType == AuditEventTypes.ReviewDecided).Select(e => e.Event.Actor).Distinct(StringComparer.Ordinal).ToList();
        var status = events.LastOrDefault(e => e.Event.StatusAfter is not null)?.Event.StatusAfter;
        return new NumberTrace(phoneNumber, registration, reviewers, status, events);
    }

    /// <summary>Streams the matching events in seq order.</summary>
    public async IAsyncEnumerable<ChainedAuditEvent> ExportAsync(ExportFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        const string sql = $"""
            SELECT {Columns} FROM audit_events
            WHERE occurred_at >= @from AND occurred_at < @to
              AND (@outlet::text IS NULL OR outlet_id = @outlet)
              AND (cardinality(@types::text[]) = 0 OR event_type = ANY (@types::text[]))
            ORDER BY seq
            """;
        await using var command = dataSource.CreateCommand(sql);
        AddPeriod(command, filter.From, filter.To);
        command.Parameters.Add(new NpgsqlParameter("outlet", NpgsqlDbType.Text) { Value = string.IsNullOrEmpty(filter.OutletId) ? DBNull.Value : filter.OutletId });
        command.Parameters.Add(new NpgsqlParameter("types", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = filter.EventTypes.ToArray() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return AuditRows.Read(reader);
        }
    }

    /// <summary>
    /// Walks every partition of the chain in position order, in batches, inside one repeatable-read snapshot:
    /// recomputes every hash from the stored columns, checks position continuity and prev_hash links, that
    /// every signed checkpoint names a row whose hash it signed (so a tail recomputed or cut by whoever
    /// controls the database is found at the first checkpoint after the change), then the partition's head;
    /// finally that no row lies outside the partitions walked. The first break found is reported.
    /// </summary>
    public async Task<ChainVerification> VerifyChainAsync(int batchSize = DefaultVerifyBatchSize, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);

        var heads = await ReadHeadsAsync(connection, transaction, cancellationToken);
        var checkpoints = await ReadCheckpointsAsync(connection, transaction, cancellationToken);
        var headSeq = heads.Sum(h => h.Seq);
        var total = new ChainWalkTotals();
        if (heads.Count == 0)
        {
            return Result(new ChainBreakData(0, ChainProblemKind.HeadMismatch, "audit_chain_heads has no row"));
        }

        if (checkpoints.Keys.Except(heads.Select(h => h.Partition)).Order().FirstOrDefault(-1) is var orphan and >= 0)
        {
            return Result(new ChainBreakData(checkpoints[orphan][0].Seq, ChainProblemKind.CheckpointMissing,
                string.Create(CultureInfo.InvariantCulture, $"partition {orphan} has checkpoints but no head: its chain was removed")) { Partition = orphan });
        }

        await using var batch = new NpgsqlCommand(
            $"SELECT {Columns} FROM audit_events WHERE chain_partition = @partition AND chain_seq > @after ORDER BY chain_seq LIMIT @limit", connection, transaction);
        var partitionParameter = new NpgsqlParameter<short>("partition", (short)0);
        var after = new NpgsqlParameter<long>("after", 0L);
        batch.Parameters.Add(partitionParameter);
        batch.Parameters.Add(after);
        batch.Parameters.Add(new NpgsqlParameter<int>("limit", batchSize));
        await batch.PrepareAsync(cancellationToken);
        foreach (var head in heads)
        {
            partitionParameter.TypedValue = (short)head.Partition;
            var walk = new CheckpointWalk(checkpoints.GetValueOrDefault(head.Partition, []), checkpointVerifier);
            var problem = await WalkPartitionAsync(batch, after, head, walk, batchSize, total, cancellationToken);
            total.Checkpoints += walk.Checked;
            total.LastCheckpoints += walk.LastSeq;
            if (problem is not null)
            {
                return Result(problem with { Partition = head.Partition });
            }
        }

        await using (var count = new NpgsqlCommand("SELECT count(*) FROM audit_events", connection, transaction))
        {
            var rows = (long)(await count.ExecuteScalarAsync(cancellationToken))!;
            if (rows != total.Rows)
            {
                return Result(new ChainBreakData(0, ChainProblemKind.SeqGap,
                    string.Create(CultureInfo.InvariantCulture, $"the log holds {rows} rows but its partitions' chains hold {total.Rows}: rows lie outside every chain")));
            }
        }

        return Result(null);

        ChainVerification Result(ChainBreakData? problem) =>
            new(problem is null, total.Rows, headSeq, problem, clock.Elapsed)
            {
                CheckpointsChecked = total.Checkpoints,
                LastCheckpointSeq = total.LastCheckpoints,
                CheckpointSignaturesVerified = checkpointVerifier is not null,
                Partitions = total.Partitions,
            };
    }

    /// <summary>Walks one partition's rows from position 1 to its head; null when it checks out.</summary>
    private static async Task<ChainBreakData?> WalkPartitionAsync(
        NpgsqlCommand batch, NpgsqlParameter<long> after, ChainHead head, CheckpointWalk checkpoints, int batchSize, ChainWalkTotals total, CancellationToken cancellationToken)
    {
        long lastSeq = 0;
        var lastHash = AuditChain.GenesisHash.ToArray();
        while (true)
        {
            after.TypedValue = lastSeq;
            var read = 0;
            await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    read++;
                    total.Rows++;
                    var row = AuditRows.Read(reader);
                    if ((Check(row, lastSeq, lastHash) ?? checkpoints.Check(row)) is { } problem)
                    {
                        return problem;
                    }

                    lastSeq = row.ChainSeq;
                    lastHash = row.Hash;
                }
            }

            if (read < batchSize)
            {
                break;
            }
        }

        if (lastSeq > 0)
        {
            total.Partitions++;
        }

        if (checkpoints.Beyond(lastSeq) is { } cut)
        {
            return cut;
        }

        if (lastSeq != head.Seq || !lastHash.AsSpan().SequenceEqual(head.Hash))
        {
            var detail = string.Create(CultureInfo.InvariantCulture,
                $"the head of partition {head.Partition} names position {head.Seq} hash {Convert.ToHexStringLower(head.Hash)}; its last row is at {lastSeq} hash {Convert.ToHexStringLower(lastHash)}");
            return new ChainBreakData(head.Seq, ChainProblemKind.HeadMismatch, detail);
        }

        return null;
    }

    /// <summary>Numbers with FRAUD_REPORTED whose registering outlet is <paramref name="outletId"/>, with their registration facts.</summary>
    public async Task<IReadOnlyList<FraudLinkedRegistrationData>> FraudLinkedRegistrationsAsync(
        string outletId, DateTimeOffset? from, DateTimeOffset? to, CancellationToken cancellationToken = default)
    {
        var columns = string.Join(", ", Columns.Split(", ").Select(c => "r." + c));
        var sql = $"""
            WITH fraud AS (
                SELECT phone_number, count(*) AS reports, min(occurred_at) AS first_at
                FROM audit_events
                WHERE event_type = 'FRAUD_REPORTED' AND outlet_id = @outlet AND phone_number IS NOT NULL
                GROUP BY phone_number
            ), reg AS (
                SELECT DISTINCT ON (e.phone_number) e.*
                FROM audit_events e JOIN fraud f ON f.phone_number = e.phone_number
                WHERE e.event_type = 'REGISTRATION_DECIDED' AND e.outlet_id = @outlet AND e.decision IN ('APPROVED', 'PENDING_REVIEW')
                  AND (@from::timestamptz IS NULL OR e.occurred_at >= @from) AND (@to::timestamptz IS NULL OR e.occurred_at < @to)
                ORDER BY e.phone_number, e.seq DESC
            )
            SELECT {columns}, f.reports, f.first_at,
                (SELECT s.status_after FROM audit_events s WHERE s.phone_number = r.phone_number AND s.status_after IS NOT NULL ORDER BY s.seq DESC LIMIT 1)
            FROM reg r JOIN fraud f ON f.phone_number = r.phone_number
            ORDER BY r.seq
            """;
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.AddWithValue("outlet", outletId);
        command.Parameters.Add(new NpgsqlParameter("from", NpgsqlDbType.TimestampTz) { Value = from.HasValue ? from.Value : DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("to", NpgsqlDbType.TimestampTz) { Value = to.HasValue ? to.Value : DBNull.Value });
        var result = new List<FraudLinkedRegistrationData>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var registration = AuditRows.Read(reader);
            result.Add(new FraudLinkedRegistrationData(
                registration.Event.PhoneNumber!,
                registration,
                reader.GetInt64(AuditRows.Count),
                reader.GetFieldValue<DateTimeOffset>(AuditRows.Count + 1),
                reader.IsDBNull(AuditRows.Count + 2) ? null : reader.GetString(AuditRows.Count + 2)));
        }

        return result;
    }

    /// <summary>
    /// Campaign targets: numbers whose registration at the outlet/clerk in the period was approved
    /// (REGISTRATION_DECIDED APPROVED, or PENDING_REVIEW followed by REVIEW_DECIDED APPROVED) and that
    /// were not registered again afterwards (so the current holder is the one that registration opened).
    /// </summary>
    public async Task<IReadOnlyList<string>> SelectCampaignTargetsAsync(CampaignSelection selection, CancellationToken cancellationToken = default)
    {
        const string sql = """
            SELECT DISTINCT r.phone_number
            FROM audit_events r
            WHERE r.event_type = 'REGISTRATION_DECIDED' AND r.decision IN ('APPROVED', 'PENDING_REVIEW') AND r.phone_number IS NOT NULL
              AND r.occurred_at >= @from AND r.occurred_at < @to
              AND (@outlet::text IS NULL OR r.outlet_id = @outlet)
              AND (@clerk::text IS NULL OR r.clerk_id = @clerk)
              AND (r.decision = 'APPROVED' OR EXISTS (
                    SELECT 1 FROM audit_events v
                    WHERE v.phone_number = r.phone_number AND v.seq > r.seq AND v.event_type = 'REVIEW_DECIDED' AND v.decision = 'APPROVED'))
              AND NOT EXISTS (
                    SELECT 1 FROM audit_events n
                    WHERE n.phone_number = r.phone_number AND n.seq > r.seq AND n.event_type = 'REGISTRATION_DECIDED'
                      AND n.decision IN ('APPROVED', 'PENDING_REVIEW'))
            ORDER BY r.phone_number
            """;
        await using var command = dataSource.CreateCommand(sql);
        AddPeriod(command, selection.From, selection.To);
        command.Parameters.Add(new NpgsqlParameter("outlet", NpgsqlDbType.Text) { Value = string.IsNullOrEmpty(selection.OutletId) ? DBNull.Value : selection.OutletId });
        command.Parameters.Add(new NpgsqlParameter("clerk", NpgsqlDbType.Text) { Value = string.IsNullOrEmpty(selection.ClerkId) ? DBNull.Value : selection.ClerkId });
        var result = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(reader.GetString(0));
        }

        return result;
    }

    /// <summary>Start of the bucket that contains <paramref name="localStart"/> (a wall-clock time of the civil calendar) as an instant.</summary>
    public DateTimeOffset BucketInstant(DateTime localStart) => calendar.Instant(localStart);

    public static string BucketLabel(ReportBucket bucket, DateTime localStart) => bucket switch
    {
        ReportBucket.Day => localStart.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ReportBucket.Week => string.Create(CultureInfo.InvariantCulture, $"{ISOWeek.GetYear(localStart)}-W{ISOWeek.GetWeekOfYear(localStart):D2}"),
        ReportBucket.Month => localStart.ToString("yyyy-MM", CultureInfo.InvariantCulture),
        _ => "period",
    };

    private static async Task<IReadOnlyList<ChainHead>> ReadHeadsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var result = new List<ChainHead>();
        await using var command = new NpgsqlCommand("SELECT chain_partition, seq, hash FROM audit_chain_heads ORDER BY chain_partition", connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(new ChainHead(reader.GetInt16(0), reader.GetInt64(1), reader.GetFieldValue<byte[]>(2)));
        }

        return result;
    }

    /// <summary>Each partition's checkpoints in position order.</summary>
    private static async Task<Dictionary<int, List<AuditCheckpoint>>> ReadCheckpointsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var result = new Dictionary<int, List<AuditCheckpoint>>();
        await using var command = new NpgsqlCommand(
            "SELECT seq, hash, previous_seq, signed_at, key_id, signature, chain_partition FROM audit_checkpoints ORDER BY chain_partition, seq", connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var checkpoint = new AuditCheckpoint(
                reader.GetInt64(0), reader.GetFieldValue<byte[]>(1), reader.GetInt64(2), reader.GetFieldValue<DateTimeOffset>(3), reader.GetString(4), reader.GetFieldValue<byte[]>(5), reader.GetInt16(6));
            if (!result.TryGetValue(checkpoint.Partition, out var list))
            {
                result.Add(checkpoint.Partition, list = []);
            }

            list.Add(checkpoint);
        }

        return result;
    }

    /// <summary>One row against the row before it in its partition (<paramref name="lastSeq"/> is that row's position).</summary>
    private static ChainBreakData? Check(ChainedAuditEvent row, long lastSeq, byte[] lastHash)
    {
        if (row.ChainSeq != lastSeq + 1)
        {
            return new ChainBreakData(row.Seq, ChainProblemKind.SeqGap,
                string.Create(CultureInfo.InvariantCulture, $"expected position {lastSeq + 1} after {lastSeq} in partition {row.Partition}, found {row.ChainSeq}"));
        }

        if (!row.PrevHash.AsSpan().SequenceEqual(lastHash))
        {
            return new ChainBreakData(row.Seq, ChainProblemKind.PrevHashMismatch,
                $"prev_hash {Convert.ToHexStringLower(row.PrevHash)} is not the previous row's hash {Convert.ToHexStringLower(lastHash)}");
        }

        if (!AuditChain.Hashable(row.Event))
        {
            return new ChainBreakData(row.Seq, ChainProblemKind.HashMismatch,
                string.Create(CultureInfo.InvariantCulture, $"hash version {row.Event.HashVersion} with caller {row.Event.Caller ?? "unset"} has no canonical form: the row was altered"));
        }

        if (!AuditChain.PersonalFieldsIntact(row.Event))
        {
            return new ChainBreakData(row.Seq, ChainProblemKind.HashMismatch, "the personal fields do not match their digest: the row was altered");
        }

        var recomputed = AuditChain.ComputeHash(row.PrevHash, row.ChainSeq, row.Event);
        if (!recomputed.AsSpan().SequenceEqual(row.Hash))
        {
            return new ChainBreakData(row.Seq, ChainProblemKind.HashMismatch,
                $"stored hash {Convert.ToHexStringLower(row.Hash)} but the row's columns hash to {Convert.ToHexStringLower(recomputed)}: the row was altered");
        }

        return null;
    }

    private ReportRowData NewRow(Dictionary<(DateTime, string), ReportRowData> rows, ReportQuery query, DateTime localStart, string dimension)
    {
        if (!rows.TryGetValue((localStart, dimension), out var row))
        {
            row = new ReportRowData
            {
                BucketStart = query.Bucket == ReportBucket.Period ? query.From : BucketInstant(localStart),
                BucketLabel = BucketLabel(query.Bucket, localStart),
                DimensionValue = dimension,
            };
            rows.Add((localStart, dimension), row);
        }

        return row;
    }

    private static ReportRowData NewTotal(ReportQuery query) => new() { BucketStart = query.From, BucketLabel = "period", DimensionValue = "" };

    private static void AddPeriod(NpgsqlCommand command, DateTimeOffset from, DateTimeOffset to)
    {
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("from", from.ToUniversalTime()));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("to", to.ToUniversalTime()));
    }

    // Whitelisted SQL fragments: never built from caller input (the offset is a validated setting in whole minutes).
    private string BucketSql(ReportBucket bucket) => bucket switch
    {
        ReportBucket.Day => $"date_trunc('day', (occurred_at AT TIME ZONE 'UTC') + {calendar.SqlInterval})",
        ReportBucket.Week => $"date_trunc('week', (occurred_at AT TIME ZONE 'UTC') + {calendar.SqlInterval})",
        ReportBucket.Month => $"date_trunc('month', (occurred_at AT TIME ZONE 'UTC') + {calendar.SqlInterval})",
        ReportBucket.Period => "timestamp '2000-01-01'",
        _ => throw new ArgumentOutOfRangeException(nameof(bucket), bucket, "unknown bucket"),
    };

    private static string DimensionSql(ReportDimension dimension) => dimension switch
    {
        ReportDimension.None => "''::text",
        ReportDimension.ChannelKind => "coalesce(channel_kind, '')",
        ReportDimension.Carrier => "coalesce(carrier_id, '')",
        ReportDimension.Region => "coalesce(region, '')",
        ReportDimension.Outlet => "coalesce(outlet_id, '')",
        ReportDimension.Clerk => "coalesce(clerk_id, '')",
        ReportDimension.CardType => "coalesce(card_type, '')",
        _ => throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "unknown dimension"),
    };
}
