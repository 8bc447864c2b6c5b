using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Npgsql;
using RealName.Contracts.V1;
using RealName.IntegrationTests.Infrastructure;
using RealName.Storage;
using RealName.Storage.Reads;

namespace RealName.IntegrationTests.Audit;

/// <summary>A campaign interrupted by a kill -9 of the silo resumes from its saved cursor, woken by its reminder.</summary>
public sealed class AuditCampaignRestartTests
{
    [Fact]
    public async Task Audit_campaign_resumes_after_a_kill_9_of_the_silo_without_being_called()
    {
        await using var database = await TestDatabase.CreateAsync();
        var clusterId = "campaign-" + Guid.NewGuid().ToString("N")[..8];
        var settings = new Dictionary<string, string> { ["Cluster:Reminders:MinimumReminderPeriod"] = "00:00:01" };
        await using var silo = new SiloProcess(database, clusterId, settings);
        await silo.StartAsync();
        await using var gateway = await GatewayServer.StartAsync(database, clusterId);
        var auditor = new AuditService.AuditServiceClient(gateway.As(Roles.Auditor));

        // 600 approved registrations in the log (no grain state: each target is "not active"), 30 batches.
        const int targets = 600;
        var at = new DateTimeOffset(2025, 6, 1, 10, 0, 0, TimeSpan.FromHours(8));
        await using (var dataSource = NpgsqlDataSource.Create(database.ConnectionString))
        {
            await new AuditLog(dataSource).AppendBatchAsync(Enumerable.Range(0, targets).Select(i => new AuditEvent
            {
                EventId = Guid.NewGuid(),
                OccurredAt = at.AddMinutes(i),
                EventType = AuditEventTypes.RegistrationDecided,
                PhoneNumber = (19_700_000_000L + i).ToString(CultureInfo.InvariantCulture),
                OutletId = "RESTART-1",
                ClerkId = "clerk-r",
                Decision = AuditDecisions.Approved,
                FaceCompared = true,
                FaceDecision = "MATCH",
                StatusAfter = "ACTIVE",
                Actor = "clerk-r",
                Caller = "seed",
            }));
        }

        var started = await new AuditService.AuditServiceClient(gateway.As(Roles.RiskOperator)).StartReReviewCampaignAsync(new StartReReviewCampaignRequest
        {
            OutletId = "RESTART-1",
            From = Timestamp.FromDateTimeOffset(at.AddDays(-1)),
            To = Timestamp.FromDateTimeOffset(at.AddDays(1)),
        });
        Assert.Equal(targets, started.Campaign.Targets);
        var id = started.Campaign.CampaignId;

        var partway = await Eventually.Get(
            () => auditor.GetReReviewCampaignAsync(new GetReReviewCampaignRequest { CampaignId = id }).ResponseAsync,
            r => r.Campaign.Processed > 0,
            TimeSpan.FromSeconds(60),
            "the campaign saving its first batch");
        Assert.Equal(CampaignState.Running, partway.Campaign.State);

        await silo.KillAsync();
        await silo.StartAsync();

        // Nobody calls the campaign now: only its reminder can wake it up and restart the timer. It drops that
        // reminder when it finishes; the reminder table (read in the database, which activates nothing) shows when.
        await Eventually.Get(
            () => database.ScalarAsync<long>("SELECT count(*) FROM orleansreminderstable WHERE remindername = 'campaign-resume'"),
            reminders => reminders == 0,
            TimeSpan.FromSeconds(120),
            "the campaign finishing after the restart, woken by its reminder alone");
        var done = (await auditor.GetReReviewCampaignAsync(new GetReReviewCampaignRequest { CampaignId = id })).Campaign;
        Assert.Equal(CampaignState.Completed, done.State);
        Assert.Equal((long)targets, done.Processed);
        Assert.Equal((long)targets, done.NotActive);
        Assert.Equal(0, done.Started + done.AlreadyRunning + done.Failed);
    }
}
