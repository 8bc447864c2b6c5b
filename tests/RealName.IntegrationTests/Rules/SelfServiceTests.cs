using RealName.Contracts.V1;
using RealName.IntegrationTests.Infrastructure;

namespace RealName.IntegrationTests.Rules;

/// <summary>一证通查: list and dispute the numbers under one's identity after a face check.</summary>
[Collection(GridCollection.Name)]
public sealed class SelfServiceTests(GridFixture grid)
{
    private RegistrationService.RegistrationServiceClient Channel => new(grid.Gateway.As(Roles.RetailTerminal));

    private SelfServiceService.SelfServiceServiceClient SelfService => new(grid.Gateway.As(Roles.OnlineSales));

    /// <summary>A holder proof with the SDK's signed liveness attestation for <paramref name="phone"/> ("" for ListNumbers).</summary>
    internal static HolderProof Proof(string identity, string live, string phone = "") => new()
    {
        Document = Requests.Document(identity),
        LiveImage = Faces.Image(live),
        Channel = new ChannelContext { Kind = ChannelKind.Online, CarrierId = "cmcc", Region = "310000", OutletId = "self-service-app", ClerkId = "app", DeviceId = "phone-1" },
        Liveness = LivenessSdk.Attest(phone),
    };

    [Fact]
    public async Task The_holder_lists_every_number_under_the_identity()
    {
        var identity = Requests.NewResidentId();
        var phones = new[] { Requests.NewPhoneNumber(), Requests.NewPhoneNumber() };
        await Channel.RegisterSubscriberAsync(Requests.Register(phones[0], identity, outlet: "SH-010"));
        await Channel.RegisterSubscriberAsync(Requests.Register(phones[1], identity, outlet: "SH-011", carrier: "mvno-y"));

        var listed = await SelfService.ListNumbersAsync(new ListNumbersRequest { Proof = Proof(identity, Faces.CardHolder.OtherLive) });

        Assert.Equal(phones.Order(), listed.Numbers.Select(n => n.PhoneNumber).Order());
        Assert.All(listed.Numbers, n => Assert.Equal(SubscriberStatus.Active, n.Status));
        Assert.Equal("mvno-y", listed.Numbers.Single(n => n.PhoneNumber == phones[1]).CarrierId);
        Assert.Equal("MATCH", listed.Face.Decision);
    }

    [Fact]
    public async Task Someone_else_cannot_list_them_and_an_unknown_identity_has_no_enrolled_face()
    {
        var identity = Requests.NewResidentId();
        await Channel.RegisterSubscriberAsync(Requests.Register(Requests.NewPhoneNumber(), identity));

        await RpcAssert.Refused("FACE_MISMATCH", () => SelfService.ListNumbersAsync(new ListNumbersRequest { Proof = Proof(identity, Faces.Stranger) }));
        await RpcAssert.Refused("NO_ENROLLED_FACE", () => SelfService.ListNumbersAsync(new ListNumbersRequest { Proof = Proof(Requests.NewResidentId(), Faces.CardHolder.Live) }));
    }

    [Fact]
    public async Task A_disputed_number_enters_re_review_and_only_own_numbers_can_be_disputed()
    {
        var identity = Requests.NewResidentId();
        var phone = Requests.NewPhoneNumber();
        await Channel.RegisterSubscriberAsync(Requests.Register(phone, identity));

        var dispute = new DisputeNumberRequest { Proof = Proof(identity, Faces.CardHolder.OtherLive, phone), PhoneNumber = phone, DisputeId = "dispute-0001" };
        var disputed = await SelfService.DisputeNumberAsync(dispute);
        var record = (await Channel.GetSubscriberAsync(new GetSubscriberRequest { PhoneNumber = phone })).Subscriber;
        // Found by buf curl: the retry of the dispute that started the re-review answered false, as a new dispute would.
        var retried = await SelfService.DisputeNumberAsync(dispute);
        var another = await SelfService.DisputeNumberAsync(new DisputeNumberRequest { Proof = Proof(identity, Faces.CardHolder.OtherLive, phone), PhoneNumber = phone, DisputeId = "dispute-0003" });

        Assert.Equal((true, true, false), (disputed.ReReviewStarted, retried.ReReviewStarted, another.ReReviewStarted));
        Assert.Equal(ReReviewTrigger.Dispute, record.ReReview.Trigger);
        Assert.Equal(2L, await grid.Database.ScalarAsync<long>("SELECT count(*) FROM audit_events WHERE phone_number = @p AND event_type = 'DISPUTED'", ("p", phone)));
        var other = Requests.NewPhoneNumber();
        await RpcAssert.Refused("NUMBER_NOT_UNDER_IDENTITY", () => SelfService.DisputeNumberAsync(new DisputeNumberRequest { Proof = Proof(identity, Faces.CardHolder.OtherLive, other), PhoneNumber = other, DisputeId = "dispute-0002" }));
    }
}
