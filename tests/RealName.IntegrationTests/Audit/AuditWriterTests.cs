using Grpc.Core;
using RealName.Contracts.V1;
using RealName.IntegrationTests.Infrastructure;

namespace RealName.IntegrationTests.Audit;

/// <summary>The grains are the audit log's one writer: what the gateway refuses is recorded through them, under its own ids.</summary>
[Collection(GridCollection.Name)]
public sealed class AuditWriterTests(GridFixture grid)
{
    private RegistrationService.RegistrationServiceClient Channel => new(grid.Gateway.As(Roles.RetailTerminal));

    private AuditService.AuditServiceClient Auditor => new(grid.Gateway.As(Roles.Auditor));

    [Fact]
    public async Task An_expired_document_then_a_valid_request_with_the_same_key_leaves_both_decisions_in_the_trace()
    {
        var phone = Requests.NewPhoneNumber();
        var valid = Requests.Register(phone);
        var expired = valid.Clone();
        expired.Customer.Document.ValidUntil = "2020-01-01";

        var refused = await RpcAssert.Refused("DOCUMENT_EXPIRED", () => Channel.RegisterSubscriberAsync(expired));
        Assert.Equal("customer.document.valid_until", refused.Metadata["field"]);
        // The same refusal sent again is the same fact: recorded once.
        await RpcAssert.Refused("DOCUMENT_EXPIRED", () => Channel.RegisterSubscriberAsync(expired));
        var registered = await Channel.RegisterSubscriberAsync(valid);
        Assert.Equal(SubscriberStatus.Active, registered.Subscriber.Status);

        var trace = await Auditor.TraceNumberAsync(new TraceNumberRequest { PhoneNumber = phone });
        var decisions = trace.Events.Where(e => e.EventType == "REGISTRATION_DECIDED").Select(e => e.Decision).ToList();
        Assert.Equal(["REFUSED", "APPROVED"], decisions);
        Assert.Equal("APPROVED", trace.Registration.Decision);
        Assert.Equal("ACTIVE", trace.CurrentStatus);
        Assert.Equal(["DOCUMENT_EXPIRED"], trace.Events[0].Reasons);
        Assert.All(trace.Events, e => Assert.NotEmpty(e.Caller));
        Assert.All(trace.Events, e => Assert.Equal(3, e.HashVersion));
    }
}
