using RealName.Contracts.V1;
using RealName.IntegrationTests.Infrastructure;

namespace RealName.IntegrationTests.Identity;

/// <summary>One identity per person: documents that carry the citizen number share one identity key.</summary>
[Collection(GridCollection.Name)]
public sealed class IdentityKeyTests(GridFixture grid)
{
    private RegistrationService.RegistrationServiceClient Channel => new(grid.Gateway.As(Roles.RetailTerminal));

    [Theory]
    [InlineData(DocumentType.HouseholdRegister)]
    [InlineData(DocumentType.TemporaryResidentId)]
    public async Task A_sixth_number_on_another_document_with_the_same_citizen_number_exceeds_the_limit(DocumentType otherDocument)
    {
        var citizenNumber = Requests.NewResidentId();
        for (var i = 0; i < 5; i++)
        {
            await Channel.RegisterSubscriberAsync(Requests.Register(Requests.NewPhoneNumber(), citizenNumber));
        }

        var sixth = Requests.Register(Requests.NewPhoneNumber(), citizenNumber);
        sixth.Customer.Document.Type = otherDocument;

        var info = await RpcAssert.Refused("IDENTITY_LIMIT_EXCEEDED", () => Channel.RegisterSubscriberAsync(sixth));
        Assert.Equal("5", info.Metadata["held"]);
    }

    [Fact]
    public async Task Other_document_kinds_keep_their_own_namespace()
    {
        // A passport number that happens to equal a citizen number is another person's document.
        var number = Requests.NewResidentId();
        for (var i = 0; i < 5; i++)
        {
            await Channel.RegisterSubscriberAsync(Requests.Register(Requests.NewPhoneNumber(), number));
        }

        var passport = Requests.Register(Requests.NewPhoneNumber(), number);
        passport.Customer.Document.Type = DocumentType.ForeignPassport;
        passport.Customer.Document.BirthDate = "1985-06-15";

        var registered = await Channel.RegisterSubscriberAsync(passport);

        Assert.Equal(SubscriberStatus.Active, registered.Subscriber.Status);
    }
}
