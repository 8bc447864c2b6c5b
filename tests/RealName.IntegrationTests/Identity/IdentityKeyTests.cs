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
    public async Task A_citizen_number_declared_as_a_passport_is_refused_so_it_cannot_open_a_sixth_number()
    {
        // Until 2026-12-01 a passport number equal to a citizen number was taken as another person's document: a
        // holder of five numbers opened a sixth by declaring the resident ID a passport (found by buf curl).
        var number = Requests.NewResidentId();
        for (var i = 0; i < 5; i++)
        {
            await Channel.RegisterSubscriberAsync(Requests.Register(Requests.NewPhoneNumber(), number));
        }

        var passport = Requests.Register(Requests.NewPhoneNumber(), number);
        passport.Customer.Document.Type = DocumentType.ForeignPassport;
        passport.Customer.Document.BirthDate = "1985-06-15";

        var problem = await RpcAssert.Invalid("customer.document.number", () => Channel.RegisterSubscriberAsync(passport));

        Assert.StartsWith("INVALID_DOCUMENT_NUMBER", problem, StringComparison.Ordinal);
        await RpcAssert.Refused("IDENTITY_LIMIT_EXCEEDED", () => Channel.RegisterSubscriberAsync(Requests.Register(Requests.NewPhoneNumber(), number)));
    }
}
