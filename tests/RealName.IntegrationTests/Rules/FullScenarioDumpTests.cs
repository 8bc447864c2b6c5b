using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Npgsql;
using RealName.Contracts.V1;
using RealName.IntegrationTests.Infrastructure;
using RealName.Storage.Sealing;

namespace RealName.IntegrationTests.Rules;

/// <summary>
/// Issue 10's "done when": after a full scenario (every card type, agent and guardian, online sales, reviews
/// approved and rejected, a re-review decided by a reviewer, evidence images kept) a pg_dump
/// shows no document number, name, face template value or image bytes in clear.
/// </summary>
public sealed class FullScenarioDumpTests : IAsyncLifetime
{
    private GridFixture grid = null!;

    public async Task InitializeAsync() => grid = await GridFixture.StartAsync(new Dictionary<string, string>(LivenessSdk.SiloSettings)
    {
        // Every genuine face lands in the review band, so every registration with a person goes through a reviewer.
        ["Face:Decision:MatchThreshold"] = "0.99",
        ["Face:Decision:ReviewThreshold"] = "0.3252",
        ["Evidence:KeepImages"] = "true",
        ["Cluster:Reminders:MinimumReminderPeriod"] = "00:00:01",
    });

    public async Task DisposeAsync() => await ((IAsyncDisposable)grid).DisposeAsync();

    [Fact]
    public async Task A_dump_after_a_full_scenario_holds_no_document_number_name_template_or_image_in_clear()
    {
        var retail = new RegistrationService.RegistrationServiceClient(grid.Gateway.As(Roles.RetailTerminal));
        var online = new RegistrationService.RegistrationServiceClient(grid.Gateway.As(Roles.OnlineSales));
        var reviewer = new ReviewService.ReviewServiceClient(grid.Gateway.As(Roles.Reviewer));
        var risk = new RiskService.RiskServiceClient(grid.Gateway.As(Roles.RiskOperator));
        var names = new[] { "赵丽颖", "钱学森", "孙悟空", "李清照", "周树人", "吴承恩", "郑成功" };
        var documents = new List<string>();
        RegisterSubscriberRequest Request(string name, FaceSet? face = null, string birth = "19850615")
        {
            var number = Requests.NewResidentId(birth);
            documents.Add(number);
            var request = Requests.Register(Requests.NewPhoneNumber(), number, face: face);
            request.Customer.Document.Name = name;
            return request;
        }

        PersonEvidence Person(string name, FaceSet face, string birth)
        {
            var number = Requests.NewResidentId(birth);
            documents.Add(number);
            return Requests.Person(number, face, name: name);
        }

        async Task Decide(RegistrationService.RegistrationServiceClient client, RegisterSubscriberRequest request, bool approve)
        {
            var pending = (await client.RegisterSubscriberAsync(request)).Subscriber;
            Assert.Equal(SubscriberStatus.PendingReview, pending.Status);
            var decided = await reviewer.DecideReviewAsync(new DecideReviewRequest { CaseId = pending.ReviewCaseId, Approve = approve, Reason = approve ? "SAME_PERSON_CONFIRMED" : "DIFFERENT_PERSON" });
            Assert.Equal(approve ? SubscriberStatus.Active : SubscriberStatus.Rejected, decided.Status);
        }

        // Personal, approved; then re-reviewed, and the re-review decided by a reviewer.
        var personal = Request(names[0]);
        await Decide(retail, personal, approve: true);
        await risk.TriggerReReviewAsync(new TriggerReReviewRequest { PhoneNumber = personal.PhoneNumber, Trigger = ReReviewTrigger.Manual });
        var reVerified = await retail.ReVerifySubscriberAsync(new ReVerifySubscriberRequest
        {
            PhoneNumber = personal.PhoneNumber, LiveImage = Faces.Image(Faces.CardHolder.OtherLive), Channel = Requests.Retail(), RequestId = Guid.NewGuid().ToString("N"),
        });
        await reviewer.DecideReviewAsync(new DecideReviewRequest { CaseId = reVerified.Subscriber.ReReview.ReviewCaseId, Approve = true, Reason = "SAME_PERSON_CONFIRMED" });

        // With an agent (代办), rejected.
        var withAgent = Request(names[1]);
        withAgent.Agent = Person(names[2], Faces.Biden, "19700101");
        await Decide(retail, withAgent, approve: false);

        // A minor with an adult guardian.
        var minor = Request(names[3], birth: "20150301");
        minor.Guardian = Person(names[4], Faces.Obama, "19750505");
        await Decide(retail, minor, approve: true);

        // Corporate.
        var corporate = Request(names[5]);
        corporate.CardType = CardType.Corporate;
        corporate.Enterprise = new Enterprise { CreditCode = Enterprises.NewCreditCode(), Name = "实名科技有限公司" };
        await Decide(retail, corporate, approve: true);

        // IoT: with a personal user above the general-data threshold, and a directional-only card without one.
        var enterprise = new Enterprise { CreditCode = Enterprises.NewCreditCode(), Name = "物联网科技" };
        await risk.ApproveIotQuotaAsync(new ApproveIotQuotaRequest { Enterprise = enterprise, Quota = 5, AssessmentReference = "RA-2026-009" });
        var iotUser = Request(names[6]);
        (iotUser.CardType, iotUser.Enterprise, iotUser.Iot) = (CardType.Iot, enterprise, new IotProfile { Sms = true, MonthlyDataMb = 500 });
        await Decide(retail, iotUser, approve: true);
        var sensor = Requests.Register(Requests.NewPhoneNumber());
        (sensor.CardType, sensor.Enterprise, sensor.Iot, sensor.Customer) = (CardType.Iot, enterprise, new IotProfile { DirectionalDataOnly = true, MonthlyDataMb = 30 }, null);
        Assert.Equal(SubscriberStatus.Active, (await retail.RegisterSubscriberAsync(sensor)).Subscriber.Status);

        // Online sales with a signed liveness attestation.
        var viaApp = Request("王小明");
        viaApp.Channel.Kind = ChannelKind.Online;
        viaApp.Liveness = LivenessSdk.Attest(viaApp.PhoneNumber);
        await Decide(online, viaApp, approve: true);

        // A restricted person (named by document only) and their appeal: neither the number nor the statement in clear.
        const string statement = "我的身份证于去年在上海丢失并已挂失";
        var restrictedPerson = Requests.NewResidentId("19800101");
        documents.Add(restrictedPerson);
        var restriction = await risk.RestrictIdentityAsync(new RestrictIdentityRequest
        {
            Document = new DocumentReference { Type = DocumentType.ResidentId, Number = restrictedPerson },
            Reason = "fraud ring", AuthorityReference = "PSB-DUMP-1", RequestId = Guid.NewGuid().ToString("N"),
            EndsAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(30)),
        });
        await risk.FileRestrictionAppealAsync(new FileRestrictionAppealRequest
        {
            RestrictionId = restriction.Restriction.RestrictionId, Statement = statement, ReceivedVia = "letter 9", RequestId = Guid.NewGuid().ToString("N"),
        });

        Assert.True(await grid.Database.ScalarAsync<long>("SELECT count(*) FROM registration_evidence") >= 10, "evidence images are kept (sealed)");
        var templates = await StoredTemplates();
        Assert.True(templates.Count >= 2, "the identities' enrolled templates are in the (sealed) grain state");

        var dump = await PgDump.TextAsync(grid.Database.ConnectionString);

        Assert.Contains(personal.PhoneNumber, dump, StringComparison.Ordinal); // the dump really holds the data
        foreach (var number in documents)
        {
            Assert.DoesNotContain(number, dump, StringComparison.Ordinal);
            Assert.DoesNotContain(number[..17], dump, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(statement, dump, StringComparison.Ordinal);
        foreach (var name in names.Append("王小明"))
        {
            Assert.DoesNotContain(name, dump, StringComparison.Ordinal);
        }

        foreach (var template in templates)
        {
            // The decimal text the serializer wrote, and the raw float32 bytes as hex and base64.
            foreach (var value in template.Text.Take(8))
            {
                Assert.DoesNotContain(value, dump, StringComparison.Ordinal);
            }

            var bytes = template.Values.Take(8).SelectMany(BitConverter.GetBytes).ToArray();
            Assert.DoesNotContain(Convert.ToHexStringLower(bytes), dump, StringComparison.Ordinal);
            Assert.DoesNotContain(Convert.ToBase64String(bytes), dump, StringComparison.Ordinal);
        }

        foreach (var image in new[] { Faces.CardHolder.Portrait, Faces.CardHolder.Live, Faces.CardHolder.OtherLive, Faces.Biden.Portrait, Faces.Obama.Live })
        {
            var chunk = Faces.Image(image).Span.Slice(Faces.Image(image).Length / 2, 48).ToArray();
            Assert.DoesNotContain(Convert.ToHexStringLower(chunk), dump, StringComparison.Ordinal);
            Assert.DoesNotContain(Convert.ToBase64String(chunk), dump, StringComparison.Ordinal);
        }
    }

    /// <summary>The face templates really stored: the grain state opened with the test database's master key.</summary>
    private async Task<List<(List<string> Text, List<float> Values)>> StoredTemplates()
    {
        await using var dataSource = NpgsqlDataSource.Create(grid.Database.ConnectionString);
        var ring = new DataKeyRing(dataSource, Options.Create(new SealingOptions { MasterKey = grid.Database.SealingKey }), TimeProvider.System);
        await ring.LoadAsync(CancellationToken.None);
        var sealer = new Sealer(ring);
        var templates = new List<(List<string>, List<float>)>();
        await using var command = dataSource.CreateCommand("SELECT payloadbinary FROM orleansstorage WHERE payloadbinary IS NOT NULL");
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var value = reader.GetFieldValue<byte[]>(0);
            var json = System.Text.Encoding.UTF8.GetString(Sealer.IsSealed(value) ? sealer.Open(value) : value);
            foreach (Match match in Regex.Matches(json, @"""Embedding"":\[([^\]]+)\]"))
            {
                var text = match.Groups[1].Value.Split(',').Where(v => v.Length >= 8).ToList();
                templates.Add((text, text.Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToList()));
            }
        }

        return templates;
    }
}
