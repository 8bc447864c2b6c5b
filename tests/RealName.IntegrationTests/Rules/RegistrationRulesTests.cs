using Google.Protobuf;
using Grpc.Core;
using RealName.Contracts.V1;
using RealName.IntegrationTests.Infrastructure;

namespace RealName.IntegrationTests.Rules;

/// <summary>The registration rules end to end: gRPC over loopback, a real silo process, PostgreSQL, real faces.</summary>
[Collection(GridCollection.Name)]
public sealed class RegistrationRulesTests(GridFixture grid)
{
    private RegistrationService.RegistrationServiceClient Channel => new(grid.Gateway.As(Roles.RetailTerminal));

    private RiskService.RiskServiceClient Risk => new(grid.Gateway.As(Roles.RiskOperator));

    [Fact]
    public async Task A_retail_registration_with_a_matching_face_is_active_and_records_the_face_result()
    {
        var response = await Channel.RegisterSubscriberAsync(Requests.Register(Requests.NewPhoneNumber()));

        Assert.Equal(SubscriberStatus.Active, response.Subscriber.Status);
        var face = Assert.Single(response.Subscriber.Faces);
        Assert.Equal("customer", face.Person);
        Assert.Equal("MATCH", face.Decision);
        Assert.True(face.Score > 0.4, $"score {face.Score}");
        Assert.StartsWith("paddlex-mobilefacenet", face.ModelVersion, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_sixth_number_of_an_identity_at_one_carrier_is_refused()
    {
        var identity = Requests.NewResidentId();
        for (var i = 0; i < 5; i++)
        {
            await Channel.RegisterSubscriberAsync(Requests.Register(Requests.NewPhoneNumber(), identity));
        }

        var info = await RpcAssert.Refused("IDENTITY_LIMIT_EXCEEDED", () => Channel.RegisterSubscriberAsync(Requests.Register(Requests.NewPhoneNumber(), identity)));

        Assert.Equal("5", info.Metadata["held"]);
        Assert.Equal("5", info.Metadata["limit"]);
        // Another carrier (or MVNO) has its own five.
        await Channel.RegisterSubscriberAsync(Requests.Register(Requests.NewPhoneNumber(), identity, carrier: "mvno-x"));
    }

    [Fact]
    public async Task Concurrent_registrations_of_one_identity_never_exceed_the_limit()
    {
        var identity = Requests.NewResidentId();
        var calls = Enumerable.Range(0, 8).Select(async _ =>
        {
            try
            {
                await Channel.RegisterSubscriberAsync(Requests.Register(Requests.NewPhoneNumber(), identity));
                return "OK";
            }
            catch (Grpc.Core.RpcException e)
            {
                return e.GetRpcStatus()!.GetDetail<Google.Rpc.ErrorInfo>().Reason;
            }
        });

        var results = await Task.WhenAll(calls);

        Assert.Equal(5, results.Count(r => r == "OK"));
        Assert.Equal(3, results.Count(r => r == "IDENTITY_LIMIT_EXCEEDED"));
    }

    [Fact]
    public async Task Cancelling_a_number_frees_the_identity_quota()
    {
        var identity = Requests.NewResidentId();
        var phones = Enumerable.Range(0, 5).Select(_ => Requests.NewPhoneNumber()).ToList();
        foreach (var phone in phones)
        {
            await Channel.RegisterSubscriberAsync(Requests.Register(phone, identity));
        }

        await RpcAssert.Refused("IDENTITY_LIMIT_EXCEEDED", () => Channel.RegisterSubscriberAsync(Requests.Register(Requests.NewPhoneNumber(), identity)));
        // The test terminal is not scoped to the registering outlet: the holder proves their face.
        var proof = Requests.Proof(identity, Faces.CardHolder.OtherLive, phone: phones[2]);
        var cancelled = await Channel.CancelSubscriberAsync(new CancelSubscriberRequest { PhoneNumber = phones[2], Reason = "CANCELLED_BY_HOLDER", Proof = proof });

        Assert.Equal(SubscriberStatus.Cancelled, cancelled.Subscriber.Status);
        var sixth = await Channel.RegisterSubscriberAsync(Requests.Register(Requests.NewPhoneNumber(), identity));
        Assert.Equal(SubscriberStatus.Active, sixth.Subscriber.Status);
        // A cancelled number no longer holds under the identity, so the holder's proof no longer reaches it.
        await RpcAssert.Refused("NUMBER_NOT_UNDER_IDENTITY", () => Channel.CancelSubscriberAsync(new CancelSubscriberRequest { PhoneNumber = phones[2], Proof = proof }));
    }

    [Fact]
    public async Task A_stranger_is_FACE_MISMATCH_and_a_retry_replays_the_refusal()
    {
        var phone = Requests.NewPhoneNumber();
        var request = Requests.Register(phone, live: Faces.Stranger);

        var first = await RpcAssert.Refused("FACE_MISMATCH", () => Channel.RegisterSubscriberAsync(request));
        var retry = await RpcAssert.Refused("FACE_MISMATCH", () => Channel.RegisterSubscriberAsync(request));

        Assert.Equal("customer", first.Metadata["person"]);
        Assert.Equal(first.Metadata["score"], retry.Metadata["score"]);
        await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => Channel.GetSubscriberAsync(new GetSubscriberRequest { PhoneNumber = phone }).ResponseAsync);
        Assert.Equal(1L, await grid.Database.ScalarAsync<long>(
            "SELECT count(*) FROM audit_events WHERE phone_number = @p AND event_type = 'REGISTRATION_DECIDED' AND decision = 'REFUSED' AND 'FACE_MISMATCH' = ANY(reasons)", ("p", phone)));
    }

    /// <summary>
    /// Found by buf curl against a running grid: the corrected request under a refused request's key got the refusal
    /// again, and a changed request under an approved one's key got the first person's record, marked replayed.
    /// </summary>
    [Fact]
    public async Task Regression_a_changed_request_under_a_used_idempotency_key_is_REQUEST_CONFLICT_after_a_refusal_or_an_approval()
    {
        var refusedPhone = Requests.NewPhoneNumber();
        var refused = Requests.Register(refusedPhone, live: Faces.Stranger);
        var corrected = Requests.Register(refusedPhone);
        corrected.IdempotencyKey = refused.IdempotencyKey;
        var approvedPhone = Requests.NewPhoneNumber();
        var approved = Requests.Register(approvedPhone);
        var otherPerson = Requests.Register(approvedPhone);
        otherPerson.IdempotencyKey = approved.IdempotencyKey;
        var otherClerk = approved.Clone();
        otherClerk.Channel.ClerkId = "other-clerk";

        await RpcAssert.Refused("FACE_MISMATCH", () => Channel.RegisterSubscriberAsync(refused));
        await RpcAssert.Refused("REQUEST_CONFLICT", () => Channel.RegisterSubscriberAsync(corrected));
        var first = await Channel.RegisterSubscriberAsync(approved);
        await RpcAssert.Refused("REQUEST_CONFLICT", () => Channel.RegisterSubscriberAsync(otherPerson));
        await RpcAssert.Refused("REQUEST_CONFLICT", () => Channel.RegisterSubscriberAsync(otherClerk));
        var retried = await Channel.RegisterSubscriberAsync(approved);

        Assert.Equal((SubscriberStatus.Active, false, true), (first.Subscriber.Status, first.Replayed, retried.Replayed));
        Assert.Equal(first.Subscriber, retried.Subscriber);
        await RpcAssert.NotFound(() => Channel.GetSubscriberAsync(new GetSubscriberRequest { PhoneNumber = refusedPhone }));
    }

    /// <summary>
    /// Found by buf curl against a running grid: after eight other requests for a registered number (from any carrier's
    /// terminal, each refused NUMBER_ALREADY_REGISTERED) the exact retry of the registration was REQUEST_CONFLICT.
    /// </summary>
    [Fact]
    public async Task Regression_the_registrations_own_retry_replays_however_many_other_requests_came_for_the_number()
    {
        var phone = Requests.NewPhoneNumber();
        var registration = Requests.Register(phone, outlet: "SH-002");
        var first = await Channel.RegisterSubscriberAsync(registration);
        for (var i = 0; i < 10; i++)
        {
            await RpcAssert.Refused("NUMBER_ALREADY_REGISTERED", () => Channel.RegisterSubscriberAsync(Requests.Register(phone)));
        }

        var retried = await Channel.RegisterSubscriberAsync(registration);

        Assert.True(retried.Replayed);
        Assert.Equal(first.Subscriber, retried.Subscriber);
    }

    [Theory]
    [InlineData("portrait", Faces.CartoonCard, "NOT_A_PHOTO")]
    [InlineData("live", Faces.Group, "MULTIPLE_FACES")]
    public async Task Refused_images_give_the_quality_gate_reason(string image, string path, string reason)
    {
        var request = Requests.Register(Requests.NewPhoneNumber());
        if (image == "portrait")
        {
            request.Customer.PortraitImage = Faces.Image(path);
        }
        else
        {
            request.Customer.LiveImage = Faces.Image(path);
        }

        var info = await RpcAssert.Refused(reason, () => Channel.RegisterSubscriberAsync(request));

        Assert.Equal(image == "portrait" ? "document" : "live", info.Metadata["image"]);
    }

    [Fact]
    public async Task Bytes_that_are_not_an_image_are_UNDECODABLE_IMAGE_and_a_missing_image_is_INVALID_ARGUMENT()
    {
        var garbage = Requests.Register(Requests.NewPhoneNumber());
        garbage.Customer.LiveImage = ByteString.CopyFromUtf8("this is not a jpeg");
        var missing = Requests.Register(Requests.NewPhoneNumber());
        missing.Customer.LiveImage = ByteString.Empty;

        await RpcAssert.Refused("UNDECODABLE_IMAGE", () => Channel.RegisterSubscriberAsync(garbage));
        await RpcAssert.Invalid("customer.live_image", () => Channel.RegisterSubscriberAsync(missing));
    }

    [Fact]
    public async Task Online_registrations_need_a_passed_liveness_attestation()
    {
        var request = Requests.Register(Requests.NewPhoneNumber());
        request.Channel.Kind = ChannelKind.Online;
        var online = new RegistrationService.RegistrationServiceClient(grid.Gateway.As(Roles.OnlineSales));

        await RpcAssert.Refused("LIVENESS_REQUIRED", () => online.RegisterSubscriberAsync(request));
        request.IdempotencyKey = Guid.NewGuid().ToString("N");
        request.Liveness = new LivenessAttestation { Provider = "sdk", SessionId = "sess-1", Passed = false, Score = 0.99 };
        await RpcAssert.Refused("LIVENESS_FAILED", () => online.RegisterSubscriberAsync(request));
        request.IdempotencyKey = Guid.NewGuid().ToString("N");
        request.Liveness = new LivenessAttestation { Provider = "sdk", SessionId = "sess-2", Passed = true, Score = 0.98 };
        await RpcAssert.Refused("LIVENESS_UNVERIFIED", () => online.RegisterSubscriberAsync(request));
        request.IdempotencyKey = Guid.NewGuid().ToString("N");
        request.Liveness = LivenessSdk.Attest(request.PhoneNumber);
        Assert.Equal(SubscriberStatus.Active, (await online.RegisterSubscriberAsync(request)).Subscriber.Status);
    }

    [Fact]
    public async Task A_minor_registers_only_with_an_adult_guardian_whose_face_is_checked()
    {
        var minorId = Requests.NewResidentId("20150301");
        var request = Requests.Register(Requests.NewPhoneNumber(), minorId);

        await RpcAssert.Refused("MINOR_REQUIRES_GUARDIAN", () => Channel.RegisterSubscriberAsync(request));
        request.IdempotencyKey = Guid.NewGuid().ToString("N");
        request.Guardian = Requests.Person(Requests.NewResidentId("20100101"), Faces.Obama);
        await RpcAssert.Refused("GUARDIAN_NOT_ADULT", () => Channel.RegisterSubscriberAsync(request));
        request.IdempotencyKey = Guid.NewGuid().ToString("N");
        request.Guardian = Requests.Person(Requests.NewResidentId("19700101"), Faces.Obama, live: Faces.Stranger);
        var mismatch = await RpcAssert.Refused("FACE_MISMATCH", () => Channel.RegisterSubscriberAsync(request));
        Assert.Equal("guardian", mismatch.Metadata["person"]);

        request.IdempotencyKey = Guid.NewGuid().ToString("N");
        request.Guardian = Requests.Person(Requests.NewResidentId("19700101"), Faces.Obama);
        var accepted = await Channel.RegisterSubscriberAsync(request);
        Assert.Equal(["customer", "guardian"], accepted.Subscriber.Faces.Select(f => f.Person));
    }

    [Fact]
    public async Task An_agent_registration_checks_both_persons_faces()
    {
        var request = Requests.Register(Requests.NewPhoneNumber());
        request.Agent = Requests.Person(Requests.NewResidentId("19750505"), Faces.Biden, live: Faces.Obama.Live);

        var refused = await RpcAssert.Refused("FACE_MISMATCH", () => Channel.RegisterSubscriberAsync(request));
        Assert.Equal("agent", refused.Metadata["person"]);

        request.IdempotencyKey = Guid.NewGuid().ToString("N");
        request.Agent = Requests.Person(Requests.NewResidentId("19750505"), Faces.Biden);
        var accepted = await Channel.RegisterSubscriberAsync(request);
        Assert.Equal(["customer", "agent"], accepted.Subscriber.Faces.Select(f => f.Person));
        Assert.Matches(@"^310\*{13}\w\w$", accepted.Subscriber.MaskedAgentDocumentNumber);
    }

    [Fact]
    public async Task Corporate_cards_need_a_valid_enterprise()
    {
        var request = Requests.Register(Requests.NewPhoneNumber());
        request.CardType = CardType.Corporate;

        await RpcAssert.Refused("ENTERPRISE_REQUIRED", () => Channel.RegisterSubscriberAsync(request));
        request.Enterprise = new Enterprise { CreditCode = "91350100M000100Y44", Name = "测试有限公司" };
        Assert.StartsWith("INVALID_CREDIT_CODE", await RpcAssert.Invalid("enterprise.credit_code", () => Channel.RegisterSubscriberAsync(request)), StringComparison.Ordinal);
        request.Enterprise.CreditCode = Enterprises.NewCreditCode();
        // The grain remembered its refusal under the first idempotency key: a corrected request is a new one.
        request.IdempotencyKey = Guid.NewGuid().ToString("N");
        var accepted = await Channel.RegisterSubscriberAsync(request);
        Assert.Equal(CardType.Corporate, accepted.Subscriber.CardType);
        Assert.Equal(request.Enterprise.CreditCode, accepted.Subscriber.Enterprise.CreditCode);
    }

    /// <summary>Found by buf curl against a running grid: an IoT quota approval, a risk decision, left no audit event.</summary>
    [Fact]
    public async Task Regression_an_IoT_quota_approval_and_its_change_are_in_the_audit_log_with_the_operator()
    {
        var enterprise = new Enterprise { CreditCode = Enterprises.NewCreditCode(), Name = "物联网科技" };

        await Risk.ApproveIotQuotaAsync(new ApproveIotQuotaRequest { Enterprise = enterprise, Quota = 3, AssessmentReference = "RA-2026-001" });
        await Risk.ApproveIotQuotaAsync(new ApproveIotQuotaRequest { Enterprise = enterprise, Quota = 1, AssessmentReference = "RA-2026-002" });

        var rows = await grid.Database.ScalarAsync<string>(
            "SELECT string_agg(decision || '/' || actor || '/' || caller || '/' || (details::jsonb->>'quota') || '/' || coalesce(details::jsonb->>'previous_quota', '-') || '/' || (details::jsonb->>'assessment_reference'), ',' ORDER BY seq) " +
            "FROM audit_events WHERE event_type = 'IOT_QUOTA_APPROVED' AND details::jsonb->>'credit_code' = @c", ("c", enterprise.CreditCode));
        var risk = GatewayServer.NameFor(Roles.RiskOperator);
        Assert.Equal($"APPROVED/{risk}/{risk}/3/-/RA-2026-001,APPROVED/{risk}/{risk}/1/3/RA-2026-002", rows);
    }

    [Fact]
    public async Task IoT_cards_need_an_approval_stay_within_quota_and_need_real_name_for_general_data()
    {
        var enterprise = new Enterprise { CreditCode = Enterprises.NewCreditCode(), Name = "物联网科技" };
        RegisterSubscriberRequest Iot(int dataMb, bool directional, bool withCustomer)
        {
            var request = Requests.Register(Requests.NewPhoneNumber());
            request.CardType = CardType.Iot;
            request.Enterprise = enterprise;
            request.Iot = new IotProfile { Sms = true, DirectionalDataOnly = directional, MonthlyDataMb = dataMb };
            if (!withCustomer)
            {
                request.Customer = null;
            }

            return request;
        }

        await RpcAssert.Refused("IOT_NOT_APPROVED", () => Channel.RegisterSubscriberAsync(Iot(30, directional: true, withCustomer: false)));
        await Risk.ApproveIotQuotaAsync(new ApproveIotQuotaRequest { Enterprise = enterprise, Quota = 2, AssessmentReference = "RA-2026-001" });

        await RpcAssert.Refused("PERSONAL_REAL_NAME_REQUIRED", () => Channel.RegisterSubscriberAsync(Iot(500, directional: false, withCustomer: false)));
        var sensor = await Channel.RegisterSubscriberAsync(Iot(30, directional: true, withCustomer: false));
        var tracker = await Channel.RegisterSubscriberAsync(Iot(500, directional: false, withCustomer: true));
        await RpcAssert.Refused("IOT_QUOTA_EXCEEDED", () => Channel.RegisterSubscriberAsync(Iot(30, directional: true, withCustomer: false)));

        Assert.Equal(CardType.Iot, sensor.Subscriber.CardType);
        Assert.Empty(sensor.Subscriber.Faces);
        Assert.True(sensor.Subscriber.Iot.DirectionalDataOnly);
        Assert.Equal("MATCH", Assert.Single(tracker.Subscriber.Faces).Decision);
        // Decided at once with no follow-up step (no identity to confirm, no case to enqueue): the grain's state
        // is written once per registration (the ADO.NET storage counts writes in its version column), not twice.
        foreach (var card in new[] { sensor, tracker })
        {
            // (A key of hex digits is stored as Orleans' integer key form: the number read as hexadecimal.)
            var key = long.Parse(card.Subscriber.PhoneNumber, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(1, await grid.Database.ScalarAsync<int>(
                "SELECT version FROM orleansstorage WHERE grainidn1 = @k AND grainidextensionstring IS NULL AND graintypestring LIKE '%subscriber%'", ("k", key)));
        }
    }

    [Fact]
    public async Task An_IoT_card_without_a_holder_gets_no_periodic_re_review_while_a_card_with_one_does()
    {
        var enterprise = new Enterprise { CreditCode = Enterprises.NewCreditCode(), Name = "物联网复核" };
        await Risk.ApproveIotQuotaAsync(new ApproveIotQuotaRequest { Enterprise = enterprise, Quota = 2, AssessmentReference = "RA-2026-002" });
        var sensor = Requests.Register(Requests.NewPhoneNumber());
        sensor.CardType = CardType.Iot;
        sensor.Enterprise = enterprise;
        sensor.Iot = new IotProfile { DirectionalDataOnly = true, MonthlyDataMb = 30 };
        sensor.Customer = null;
        var tracker = Requests.Register(Requests.NewPhoneNumber());
        tracker.CardType = CardType.Iot;
        tracker.Enterprise = enterprise;
        tracker.Iot = new IotProfile { DirectionalDataOnly = false, MonthlyDataMb = 500 };

        Assert.Equal(SubscriberStatus.Active, (await Channel.RegisterSubscriberAsync(sensor)).Subscriber.Status);
        Assert.Equal(SubscriberStatus.Active, (await Channel.RegisterSubscriberAsync(tracker)).Subscriber.Status);

        // A card without a holder has no face to re-verify: a periodic re-review could only suspend it at its deadline.
        Task<long> PeriodicReReviews(string phone) => DueRows.CountAsync(grid.Database, phone, "periodic-re-review");
        Assert.Equal(0L, await PeriodicReReviews(sensor.PhoneNumber));
        Assert.Equal(1L, await PeriodicReReviews(tracker.PhoneNumber));
    }
}
