using Grpc.Core;
using RealName.Contracts.V1;
using RealName.IntegrationTests.Infrastructure;

namespace RealName.IntegrationTests.Callers;

/// <summary>A credential speaks only for its own carriers, outlets, channel kind and devices.</summary>
[Collection(GridCollection.Name)]
public sealed class ScopeTests(GridFixture grid)
{
    [Fact]
    public async Task The_outlet_that_opened_a_number_cancels_it_another_outlet_needs_the_holders_face()
    {
        var opener = await TestCallers.IssueAsync(grid.Gateway, "sc-opener", CallerRole.RetailTerminal, ["cmcc"], ["SC-001"]);
        var neighbour = await TestCallers.IssueAsync(grid.Gateway, "sc-neighbour", CallerRole.RetailTerminal, ["cmcc"], ["SC-002"]);
        var atOpener = new RegistrationService.RegistrationServiceClient(grid.Gateway.WithKey(opener.ApiKey));
        var atNeighbour = new RegistrationService.RegistrationServiceClient(grid.Gateway.WithKey(neighbour.ApiKey));
        var identity = Requests.NewResidentId();
        var (first, second) = (Requests.NewPhoneNumber(), Requests.NewPhoneNumber());
        await atOpener.RegisterSubscriberAsync(Requests.Register(first, identity, outlet: "SC-001"));
        await atOpener.RegisterSubscriberAsync(Requests.Register(second, identity, outlet: "SC-001"));

        await TestCallers.Denied(StatusCode.PermissionDenied, "CALLER_SCOPE_MISMATCH",
            () => atNeighbour.CancelSubscriberAsync(new CancelSubscriberRequest { PhoneNumber = first }).ResponseAsync);
        var byOpener = await atOpener.CancelSubscriberAsync(new CancelSubscriberRequest { PhoneNumber = first });
        var withProof = await atNeighbour.CancelSubscriberAsync(new CancelSubscriberRequest
        {
            PhoneNumber = second,
            Proof = Requests.Proof(identity, Faces.CardHolder.OtherLive, Requests.Retail(outlet: "SC-002"), second),
        });

        Assert.Equal(SubscriberStatus.Cancelled, byOpener.Subscriber.Status);
        Assert.Equal(SubscriberStatus.Cancelled, withProof.Subscriber.Status);
    }

    [Fact]
    public async Task A_terminal_cannot_claim_another_outlet_device_channel_kind_or_carrier_nor_read_another_carriers_numbers()
    {
        var terminal = await TestCallers.IssueAsync(grid.Gateway, "sc-terminal", CallerRole.RetailTerminal, ["cmcc"], ["SC-010"], ["reader-1"]);
        var client = new RegistrationService.RegistrationServiceClient(grid.Gateway.WithKey(terminal.ApiKey));
        var request = Requests.Register(Requests.NewPhoneNumber(), outlet: "SC-010");

        foreach (var claim in new Action<ChannelContext>[] { c => c.OutletId = "SC-011", c => c.DeviceId = "reader-2", c => c.Kind = ChannelKind.Online, c => c.CarrierId = "mvno-x" })
        {
            var claimed = request.Clone();
            claim(claimed.Channel);
            await TestCallers.Denied(StatusCode.PermissionDenied, "CALLER_SCOPE_MISMATCH", () => client.RegisterSubscriberAsync(claimed).ResponseAsync);
        }

        Assert.Equal(SubscriberStatus.Active, (await client.RegisterSubscriberAsync(request)).Subscriber.Status);
        var elsewhere = Requests.NewPhoneNumber();
        await new RegistrationService.RegistrationServiceClient(grid.Gateway.As(Roles.RetailTerminal)).RegisterSubscriberAsync(Requests.Register(elsewhere, carrier: "mvno-x"));
        await TestCallers.Denied(StatusCode.PermissionDenied, "CALLER_SCOPE_MISMATCH",
            () => client.GetSubscriberAsync(new GetSubscriberRequest { PhoneNumber = elsewhere }).ResponseAsync);
        Assert.Equal(0L, await grid.Database.ScalarAsync<long>("SELECT count(*) FROM audit_events WHERE phone_number = @p AND outlet_id <> 'SC-010'", ("p", request.PhoneNumber)));
    }

    [Fact]
    public async Task Self_service_lists_only_the_numbers_of_the_callers_carriers()
    {
        var identity = Requests.NewResidentId();
        var (atCmcc, atMvno) = (Requests.NewPhoneNumber(), Requests.NewPhoneNumber());
        var everywhere = new RegistrationService.RegistrationServiceClient(grid.Gateway.As(Roles.RetailTerminal));
        await everywhere.RegisterSubscriberAsync(Requests.Register(atCmcc, identity));
        await everywhere.RegisterSubscriberAsync(Requests.Register(atMvno, identity, carrier: "mvno-x"));
        var cmccOnly = await TestCallers.IssueAsync(grid.Gateway, "sc-selfservice", CallerRole.RetailTerminal, ["cmcc"]);

        var listed = await new SelfServiceService.SelfServiceServiceClient(grid.Gateway.WithKey(cmccOnly.ApiKey))
            .ListNumbersAsync(new ListNumbersRequest { Proof = Requests.Proof(identity, Faces.CardHolder.OtherLive) });

        Assert.Equal([atCmcc], listed.Numbers.Select(n => n.PhoneNumber));
    }
}
