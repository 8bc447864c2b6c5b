using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using RealName.Contracts.V1;
using RealName.IntegrationTests.Callers;
using RealName.IntegrationTests.Infrastructure;

namespace RealName.IntegrationTests.AntiFraud;

/// <summary>
/// Restricted persons (反电信网络诈骗法) over real gRPC: a restriction refuses the identity's registrations with
/// IDENTITY_RESTRICTED (audited, nothing reserved); lifting it, its end, or a granted appeal admits them again; every
/// step is an audit row carrying the authenticated caller; only risk operators may act, and only unscoped ones change.
/// </summary>
[Collection(GridCollection.Name)]
public sealed class RestrictionTests(GridFixture grid)
{
    private RegistrationService.RegistrationServiceClient Terminal => new(grid.Gateway.As(Roles.RetailTerminal));

    private RiskService.RiskServiceClient Risk => new(grid.Gateway.As(Roles.RiskOperator));

    private static string RiskCaller => GatewayServer.NameFor(Roles.RiskOperator);

    [Fact]
    public async Task A_restricted_identity_is_refused_IDENTITY_RESTRICTED_and_lifting_the_restriction_admits_it()
    {
        var person = Requests.NewResidentId();
        var restricted = await Risk.RestrictIdentityAsync(Order(person, TimeSpan.FromDays(30)));
        Assert.Equal(RestrictionStatus.Active, restricted.Restriction.Status);
        Assert.Equal(RiskCaller, restricted.Restriction.RestrictedBy);
        Assert.DoesNotContain(person[3..^2], restricted.Restriction.MaskedDocumentNumber, StringComparison.Ordinal);

        var refused = Requests.Register(Requests.NewPhoneNumber(), person);
        var info = await RpcAssert.Refused("IDENTITY_RESTRICTED", () => Terminal.RegisterSubscriberAsync(refused));
        Assert.Equal("customer.document", info.Metadata["field"]);
        await RpcAssert.NotFound(() => Terminal.GetSubscriberAsync(new GetSubscriberRequest { PhoneNumber = refused.PhoneNumber }));
        Assert.Equal($"REFUSED|IDENTITY_RESTRICTED|{GatewayServer.NameFor(Roles.RetailTerminal)}", await grid.Database.ScalarAsync<string>(
            "SELECT decision || '|' || array_to_string(reasons, ',') || '|' || caller FROM audit_events WHERE phone_number = @p AND event_type = 'REGISTRATION_DECIDED'",
            ("p", refused.PhoneNumber)));
        Assert.Equal(0L, await grid.Database.ScalarAsync<long>(
            "SELECT count(*) FROM audit_events WHERE phone_number = @p AND face_compared", ("p", refused.PhoneNumber)));

        var lifted = await Risk.LiftRestrictionAsync(new LiftRestrictionRequest { RestrictionId = restricted.Restriction.RestrictionId, Reason = "notice withdrawn", RequestId = NewId() });
        Assert.Equal((RestrictionStatus.Lifted, RiskCaller, "notice withdrawn"), (lifted.Restriction.Status, lifted.Restriction.LiftedBy, lifted.Restriction.LiftReason));

        var admitted = await Terminal.RegisterSubscriberAsync(Requests.Register(Requests.NewPhoneNumber(), person));
        Assert.Equal(SubscriberStatus.Active, admitted.Subscriber.Status);
        Assert.Equal($"{RiskCaller}|{RiskCaller}", await CallerOf("RESTRICTION_LIFTED", restricted.Restriction.RestrictionId));
        Assert.Equal($"{RiskCaller}|{RiskCaller}", await CallerOf("RESTRICTION_ADDED", restricted.Restriction.RestrictionId));
    }

    [Fact]
    public async Task A_restriction_ends_at_its_end_time_and_a_later_start_is_only_scheduled()
    {
        var person = Requests.NewResidentId();
        var shortOne = await Risk.RestrictIdentityAsync(Order(person, TimeSpan.FromSeconds(6)));
        var later = await Risk.RestrictIdentityAsync(Order(Requests.NewResidentId(), TimeSpan.FromDays(2), startsIn: TimeSpan.FromDays(1)));
        Assert.Equal(RestrictionStatus.Scheduled, later.Restriction.Status);
        await RpcAssert.Refused("IDENTITY_RESTRICTED", () => Terminal.RegisterSubscriberAsync(Requests.Register(Requests.NewPhoneNumber(), person)));

        var untilEnd = shortOne.Restriction.EndsAt.ToDateTimeOffset() - DateTimeOffset.UtcNow;
        await Task.Delay(untilEnd > TimeSpan.Zero ? untilEnd + TimeSpan.FromMilliseconds(300) : TimeSpan.Zero);

        var admitted = await Terminal.RegisterSubscriberAsync(Requests.Register(Requests.NewPhoneNumber(), person));
        Assert.Equal(SubscriberStatus.Active, admitted.Subscriber.Status);
        var listed = await Risk.ListRestrictionsAsync(new ListRestrictionsRequest { IncludeInactive = true, Limit = 1000 });
        Assert.Equal(RestrictionStatus.Expired, Assert.Single(listed.Restrictions, r => r.RestrictionId == shortOne.Restriction.RestrictionId).Status);
        var current = await Risk.ListRestrictionsAsync(new ListRestrictionsRequest { Limit = 1000 });
        Assert.DoesNotContain(current.Restrictions, r => r.RestrictionId == shortOne.Restriction.RestrictionId);
        Assert.Contains(current.Restrictions, r => r.RestrictionId == later.Restriction.RestrictionId);
    }

    [Fact]
    public async Task An_appeal_is_filed_and_decided_by_another_operator_with_audit_rows_carrying_each_caller()
    {
        var decider = await TestCallers.IssueAsync(grid.Gateway, "appeal-decider", CallerRole.RiskOperator);
        var deciding = new RiskService.RiskServiceClient(grid.Gateway.WithKey(decider.ApiKey));
        var person = Requests.NewResidentId();
        var upheld = (await Risk.RestrictIdentityAsync(Order(person, TimeSpan.FromDays(30)))).Restriction;
        var granted = (await Risk.RestrictIdentityAsync(Order(person, TimeSpan.FromDays(60)))).Restriction;

        var first = await Risk.FileRestrictionAppealAsync(Appeal(upheld.RestrictionId));
        Assert.Equal(RiskCaller, Assert.Single(first.Restriction.Appeals).FiledBy);
        await RpcAssert.Refused("APPEAL_ALREADY_OPEN", () => Risk.FileRestrictionAppealAsync(Appeal(upheld.RestrictionId)));
        var listed = await Risk.ListRestrictionsAsync(new ListRestrictionsRequest { OpenAppealsOnly = true, Limit = 1000 });
        Assert.Contains(listed.Restrictions, r => r.RestrictionId == upheld.RestrictionId);
        // Four eyes: the operator who entered the appeal does not decide it.
        var self = await Assert.ThrowsAsync<RpcException>(() => Risk.DecideRestrictionAppealAsync(Decision(first.AppealId, AppealDecision.Lift)).ResponseAsync);
        Assert.Equal((StatusCode.PermissionDenied, "SELF_REVIEW_FORBIDDEN"), (self.StatusCode, self.GetRpcStatus()!.GetDetail<ErrorInfo>()!.Reason));

        var kept = await deciding.DecideRestrictionAppealAsync(Decision(first.AppealId, AppealDecision.Uphold));
        Assert.Equal(RestrictionStatus.Active, kept.Restriction.Status);
        Assert.Equal((AppealDecision.Uphold, decider.Caller.Name), (kept.Restriction.Appeals[0].Decision, kept.Restriction.Appeals[0].DecidedBy));
        await RpcAssert.Refused("APPEAL_ALREADY_DECIDED", () => deciding.DecideRestrictionAppealAsync(Decision(first.AppealId, AppealDecision.Lift)));

        var second = await Risk.FileRestrictionAppealAsync(Appeal(granted.RestrictionId));
        var lifted = await deciding.DecideRestrictionAppealAsync(Decision(second.AppealId, AppealDecision.Lift));
        Assert.Equal((RestrictionStatus.Lifted, decider.Caller.Name), (lifted.Restriction.Status, lifted.Restriction.LiftedBy));
        // The upheld restriction still bars the person.
        await RpcAssert.Refused("IDENTITY_RESTRICTED", () => Terminal.RegisterSubscriberAsync(Requests.Register(Requests.NewPhoneNumber(), person)));

        Assert.Equal($"{RiskCaller}|{RiskCaller}", await CallerOf("RESTRICTION_APPEAL_FILED", upheld.RestrictionId));
        Assert.Equal($"{decider.Caller.Name}|{decider.Caller.Name}", await CallerOf("RESTRICTION_APPEAL_DECIDED", upheld.RestrictionId));
        Assert.Equal($"{decider.Caller.Name}|{decider.Caller.Name}", await CallerOf("RESTRICTION_LIFTED", granted.RestrictionId));
        Assert.Equal("UPHELD", await grid.Database.ScalarAsync<string>(
            "SELECT decision FROM audit_events WHERE event_type = 'RESTRICTION_APPEAL_DECIDED' AND details::jsonb->>'restriction_id' = @r", ("r", upheld.RestrictionId)));
        // The person's statement stays out of the append-only log.
        Assert.Equal(0L, await grid.Database.ScalarAsync<long>("SELECT count(*) FROM audit_events WHERE details LIKE '%我没有参与%'"));
    }

    [Fact]
    public async Task Retries_with_the_same_request_id_replay_and_a_changed_retry_is_REQUEST_CONFLICT()
    {
        var order = Order(Requests.NewResidentId(), TimeSpan.FromDays(10));
        var first = await Risk.RestrictIdentityAsync(order);
        var again = await Risk.RestrictIdentityAsync(order);
        Assert.True(again.Replayed);
        Assert.Equal(first.Restriction.RestrictionId, again.Restriction.RestrictionId);
        var changed = order.Clone();
        changed.Reason = "another reason";
        await RpcAssert.Refused("REQUEST_CONFLICT", () => Risk.RestrictIdentityAsync(changed));

        var lift = new LiftRestrictionRequest { RestrictionId = first.Restriction.RestrictionId, Reason = "mistaken identity", RequestId = NewId() };
        await Risk.LiftRestrictionAsync(lift);
        Assert.True((await Risk.LiftRestrictionAsync(lift)).Replayed);
        lift.RequestId = NewId();
        await RpcAssert.Refused("RESTRICTION_NOT_ACTIVE", () => Risk.LiftRestrictionAsync(lift));
        Assert.Equal(1L, await grid.Database.ScalarAsync<long>(
            "SELECT count(*) FROM audit_events WHERE event_type = 'RESTRICTION_ADDED' AND details::jsonb->>'restriction_id' = @r", ("r", first.Restriction.RestrictionId)));
        Assert.Equal(1L, await grid.Database.ScalarAsync<long>(
            "SELECT count(*) FROM audit_events WHERE event_type = 'RESTRICTION_LIFTED' AND details::jsonb->>'restriction_id' = @r", ("r", first.Restriction.RestrictionId)));
    }

    [Fact]
    public async Task Only_risk_operators_act_on_restrictions_and_a_carrier_scoped_one_only_files_appeals_and_lists()
    {
        var order = Order(Requests.NewResidentId(), TimeSpan.FromDays(10));
        foreach (var role in new[] { Roles.RetailTerminal, Roles.OnlineSales, Roles.Reviewer, Roles.Auditor, Roles.Admin })
        {
            var other = new RiskService.RiskServiceClient(grid.Gateway.As(role));
            await TestCallers.Denied(StatusCode.PermissionDenied, "ROLE_NOT_ALLOWED", () => other.RestrictIdentityAsync(order).ResponseAsync);
            await TestCallers.Denied(StatusCode.PermissionDenied, "ROLE_NOT_ALLOWED", () => other.ListRestrictionsAsync(new ListRestrictionsRequest()).ResponseAsync);
        }

        var scoped = await TestCallers.IssueAsync(grid.Gateway, "risk-cmcc", CallerRole.RiskOperator, ["cmcc"]);
        var carrierOperator = new RiskService.RiskServiceClient(grid.Gateway.WithKey(scoped.ApiKey));
        await TestCallers.Denied(StatusCode.PermissionDenied, "CALLER_SCOPE_MISMATCH", () => carrierOperator.RestrictIdentityAsync(order).ResponseAsync);
        var restriction = (await Risk.RestrictIdentityAsync(order)).Restriction;
        var filed = await carrierOperator.FileRestrictionAppealAsync(Appeal(restriction.RestrictionId));
        await TestCallers.Denied(StatusCode.PermissionDenied, "CALLER_SCOPE_MISMATCH", () => carrierOperator.DecideRestrictionAppealAsync(Decision(filed.AppealId, AppealDecision.Lift)).ResponseAsync);
        await TestCallers.Denied(StatusCode.PermissionDenied, "CALLER_SCOPE_MISMATCH",
            () => carrierOperator.LiftRestrictionAsync(new LiftRestrictionRequest { RestrictionId = restriction.RestrictionId, Reason = "x", RequestId = NewId() }).ResponseAsync);
        Assert.Contains((await carrierOperator.ListRestrictionsAsync(new ListRestrictionsRequest { Limit = 1000 })).Restrictions, r => r.RestrictionId == restriction.RestrictionId);
        Assert.Equal(1L, await grid.Database.ScalarAsync<long>(
            "SELECT count(*) FROM audit_events WHERE event_type = 'RESTRICTION_ADDED' AND details::jsonb->>'restriction_id' = @r", ("r", restriction.RestrictionId)));
    }

    [Fact]
    public async Task Hostile_orders_are_INVALID_ARGUMENT_on_their_field_and_record_nothing()
    {
        var before = await grid.Database.ScalarAsync<long>("SELECT count(*) FROM audit_events WHERE event_type LIKE 'RESTRICTION%'");
        var good = Order(Requests.NewResidentId(), TimeSpan.FromDays(10));
        var endBeforeStart = good.Clone();
        endBeforeStart.StartsAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(5));
        endBeforeStart.EndsAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(4));
        var unknownType = good.Clone();
        unknownType.Document.Type = (DocumentType)99;
        var overlong = good.Clone();
        overlong.Reason = new string('原', 257);
        var badNumber = good.Clone();
        badNumber.Document.Number = "110105194912310021";
        var outOfRange = good.Clone();
        outOfRange.EndsAt = new Timestamp { Seconds = long.MaxValue };

        Assert.StartsWith("INVALID_DATE", await RpcAssert.Invalid("ends_at", () => Risk.RestrictIdentityAsync(endBeforeStart)), StringComparison.Ordinal);
        Assert.StartsWith("UNSUPPORTED_DOCUMENT_TYPE", await RpcAssert.Invalid("document.type", () => Risk.RestrictIdentityAsync(unknownType)), StringComparison.Ordinal);
        Assert.StartsWith("FIELD_TOO_LONG", await RpcAssert.Invalid("reason", () => Risk.RestrictIdentityAsync(overlong)), StringComparison.Ordinal);
        Assert.StartsWith("INVALID_CHECK_DIGIT", await RpcAssert.Invalid("document.number", () => Risk.RestrictIdentityAsync(badNumber)), StringComparison.Ordinal);
        Assert.StartsWith("INVALID_DATE", await RpcAssert.Invalid("ends_at", () => Risk.RestrictIdentityAsync(outOfRange)), StringComparison.Ordinal);
        Assert.StartsWith("FIELD_REQUIRED", await RpcAssert.Invalid("restriction_id",
            () => Risk.LiftRestrictionAsync(new LiftRestrictionRequest { RestrictionId = "../../etc/passwd", Reason = "x", RequestId = NewId() })), StringComparison.Ordinal);
        Assert.Equal(before, await grid.Database.ScalarAsync<long>("SELECT count(*) FROM audit_events WHERE event_type LIKE 'RESTRICTION%'"));
    }

    private static RestrictIdentityRequest Order(string documentNumber, TimeSpan length, TimeSpan? startsIn = null)
    {
        var start = DateTimeOffset.UtcNow + (startsIn ?? TimeSpan.Zero);
        var order = new RestrictIdentityRequest
        {
            Document = new DocumentReference { Type = DocumentType.ResidentId, Number = documentNumber },
            Reason = "涉诈 account opening",
            AuthorityReference = "SH-PSB-" + NewId()[..8],
            EndsAt = Timestamp.FromDateTimeOffset(start + length),
            RequestId = NewId(),
        };
        if (startsIn is not null)
        {
            order.StartsAt = Timestamp.FromDateTimeOffset(start);
        }

        return order;
    }

    private static FileRestrictionAppealRequest Appeal(string restrictionId) => new()
    {
        RestrictionId = restrictionId,
        Statement = "我没有参与诈骗，证件曾经遗失",
        ReceivedVia = "counter SH-001 form 42",
        RequestId = NewId(),
    };

    private static DecideRestrictionAppealRequest Decision(string appealId, AppealDecision decision) => new()
    {
        AppealId = appealId,
        Decision = decision,
        Reason = decision == AppealDecision.Lift ? "police confirmed the card was stolen" : "notice stands",
        RequestId = NewId(),
    };

    private static string NewId() => Guid.NewGuid().ToString("N");

    private Task<string?> CallerOf(string type, string restrictionId) => grid.Database.ScalarAsync<string>(
        "SELECT string_agg(actor || '|' || caller, ';') FROM audit_events WHERE event_type = @t AND details::jsonb->>'restriction_id' = @r",
        ("t", type), ("r", restrictionId));
}
