using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Npgsql;
using RealName.IntegrationTests.Infrastructure;
using RealName.Rules;
using RealName.Storage;
using RealName.Storage.Reads;

namespace RealName.IntegrationTests.Audit;

/// <summary>
/// How an append reaches the chain: in one statement at the head the process knows, and under the head's lock when
/// another process (a second silo) moved it, a checkpoint is due, or the event is a retry. Each log below stands for
/// one silo; the statements each sends are read from Npgsql's own command log on its data source.
/// </summary>
public sealed class AuditAppendPathTests : AuditDatabaseTest, IDisposable
{
    private readonly List<LoggedSilo> silos = [];

    public void Dispose()
    {
        foreach (var silo in silos)
        {
            silo.DataSource.Dispose();
            silo.Loggers.Dispose();
        }
    }

    [Fact]
    public async Task An_append_at_a_known_head_is_one_statement_and_after_another_silo_moved_it_the_head_is_read_first_until_it_stays_put()
    {
        var first = Silo();
        var second = Silo();
        var log = new AuditLog(first.DataSource, chainPartitions: 1);
        var other = new AuditLog(second.DataSource, chainPartitions: 1);

        Assert.True(await log.AppendAsync(Event()));
        var known = Assert.Single(await StatementsOfOneAppendAsync(first, log));
        Assert.StartsWith("WITH moved AS (UPDATE audit_chain_heads", known, StringComparison.Ordinal);

        // The other silo moves the head: this silo's one statement inserts nothing, and the locked append goes on from the real head.
        Assert.True(await other.AppendAsync(Event()));
        var moved = await StatementsOfOneAppendAsync(first, log);
        Assert.Equal(3, moved.Count);
        Assert.StartsWith("WITH moved AS", moved[0], StringComparison.Ordinal);
        Assert.Contains("FOR UPDATE", moved[1], StringComparison.Ordinal);
        Assert.Contains("INSERT INTO audit_events", moved[2], StringComparison.Ordinal);

        // Now it reads the head before appending: the other silo moving it again costs no lock.
        Assert.True(await other.AppendAsync(Event()));
        var readFirst = await StatementsOfOneAppendAsync(first, log);
        Assert.Equal(2, readFirst.Count);
        Assert.StartsWith("SELECT seq, hash FROM audit_chain_heads", readFirst[0], StringComparison.Ordinal);
        Assert.StartsWith("WITH moved AS", readFirst[1], StringComparison.Ordinal);

        // Eight reads in a row that find the head where this silo left it, and it trusts what it knows again.
        for (var quiet = 0; quiet < 8; quiet++)
        {
            Assert.Equal(2, (await StatementsOfOneAppendAsync(first, log)).Count);
        }

        Assert.Single(await StatementsOfOneAppendAsync(first, log));

        await AssertChainAsync(rows: 15);
        Assert.Equal(Enumerable.Range(1, 15).Select(i => (long)i), await Column<long>("SELECT chain_seq FROM audit_events ORDER BY seq"));
    }

    [Fact]
    public async Task A_retried_event_is_found_under_the_lock_and_one_with_other_content_under_its_id_is_refused_on_a_connection_that_stays_usable()
    {
        // One connection: the prepared statement that fails on the duplicate id is the one the next appends run on.
        var silo = Silo(maxPoolSize: 1);
        var log = new AuditLog(silo.DataSource, chainPartitions: 4);
        var recorded = Event();
        Assert.True(await log.AppendAsync(recorded));
        Assert.True(await log.AppendAsync(Event()));

        Assert.False(await log.AppendAsync(recorded with { OccurredAt = recorded.OccurredAt.AddMinutes(5) }));
        await Assert.ThrowsAsync<AuditEventConflictException>(() => log.AppendAsync(recorded with { Decision = "REFUSED" }));

        for (var i = 0; i < 6; i++)
        {
            Assert.True(await log.AppendAsync(Event($"1390000000{i}")));
        }

        await AssertChainAsync(rows: 8);
        Assert.Equal(1L, await Database.ScalarAsync<long>("SELECT count(*) FROM audit_events WHERE event_id = @id", ("id", recorded.EventId)));
    }

    [Fact]
    public async Task Two_silos_appending_at_once_to_the_same_partitions_keep_every_event_once_in_intact_chains_with_checkpoints_every_n()
    {
        var keys = TestEnvironment.CheckpointKeys;
        using var signer = new AuditCheckpointSigner(new AuditCheckpointOptions { SigningKey = keys.SigningKey, EveryEvents = 10 }, TimeProvider.System);
        var logs = new[] { new AuditLog(Silo().DataSource, signer, chainPartitions: 2), new AuditLog(Silo().DataSource, signer, chainPartitions: 2) };
        var events = Enumerable.Range(0, 160).Select(i => Event($"1370000{i % 8:D4}")).ToList();

        // Four callers per silo; every event is also sent by the other silo, as a retry after a lost answer would be.
        var appended = await Task.WhenAll(Enumerable.Range(0, 8).Select(async caller =>
        {
            var results = new List<bool>();
            foreach (var e in events.Where((_, i) => i % 4 == caller % 4))
            {
                results.Add(await logs[caller / 4].AppendAsync(e));
            }

            return results;
        }));

        Assert.Equal(events.Count, appended.SelectMany(r => r).Count(a => a));
        Assert.Equal(events.Count, appended.SelectMany(r => r).Count(a => !a));
        Assert.Equal(events.Select(e => e.EventId).Order(), (await Column<Guid>("SELECT event_id FROM audit_events")).Order());

        using var verifier = new AuditCheckpointVerifier(keys.PublicKey);
        var verified = await new AuditReports(Grid, CivilCalendar.Default, verifier).VerifyChainAsync(batchSize: 7);
        Assert.True(verified.Intact, verified.FirstBreak?.Detail);
        Assert.Equal(events.Count, verified.RowsChecked);
        Assert.True(verified.CheckpointSignaturesVerified);

        // Per partition, a checkpoint at every tenth position and none in between, whichever silo appended it.
        var heads = await Column<long>("SELECT seq FROM audit_chain_heads WHERE chain_partition < 2 ORDER BY chain_partition");
        var checkpoints = await Column<long>("SELECT chain_partition * 1000 + seq FROM audit_checkpoints ORDER BY chain_partition, seq");
        var expected = heads.SelectMany((head, partition) => Enumerable.Range(1, (int)(head / 10)).Select(k => partition * 1000L + k * 10L));
        Assert.Equal(expected, checkpoints);
    }

    /// <summary>The statements one new event's append sent on the silo's data source.</summary>
    private static async Task<List<string>> StatementsOfOneAppendAsync(LoggedSilo silo, AuditLog log)
    {
        silo.Clear();
        Assert.True(await log.AppendAsync(Event()));
        return silo.Statements;
    }

    private async Task AssertChainAsync(int rows)
    {
        var verified = await new AuditReports(Grid, CivilCalendar.Default).VerifyChainAsync();
        Assert.True(verified.Intact, verified.FirstBreak?.Detail);
        Assert.Equal(rows, verified.RowsChecked);
    }

    /// <summary>A data source of the grid's role, as one silo has, whose executed statements are collected.</summary>
    private LoggedSilo Silo(int maxPoolSize = 10)
    {
        var collector = new FakeLogCollector();
        var loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Debug).AddProvider(new FakeLoggerProvider(collector)));
        var builder = new NpgsqlDataSourceBuilder(new NpgsqlConnectionStringBuilder(Database.GridConnectionString) { MaxPoolSize = maxPoolSize }.ConnectionString);
        builder.UseLoggerFactory(loggers);
        var silo = new LoggedSilo(builder.Build(), loggers, collector);
        silos.Add(silo);
        return silo;
    }

    private sealed class LoggedSilo(NpgsqlDataSource dataSource, ILoggerFactory loggers, FakeLogCollector log)
    {
        public NpgsqlDataSource DataSource { get; } = dataSource;

        public ILoggerFactory Loggers { get; } = loggers;

        /// <summary>The SQL of each command or batch command executed since the last <see cref="Clear"/>.</summary>
        public List<string> Statements => [.. log.GetSnapshot().Where(r => r.Category == "Npgsql.Command" && r.Message.Contains("execution completed", StringComparison.Ordinal)).Select(Sql)];

        public void Clear() => log.Clear();

        private static string Sql(FakeLogRecord record) => record.StructuredState?.FirstOrDefault(p => p.Key is "CommandText" or "BatchCommands").Value ?? record.Message;
    }

    private static AuditEvent Event(string phoneNumber = "13900000001") => new()
    {
        EventId = Guid.NewGuid(),
        OccurredAt = new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.Zero),
        EventType = "REGISTRATION_DECIDED",
        PhoneNumber = phoneNumber,
        Decision = "APPROVED",
        Actor = "clerk-1",
        Caller = "local-channel",
    };
}
