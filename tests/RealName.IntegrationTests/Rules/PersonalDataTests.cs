using RealName.Contracts.V1;
using RealName.IntegrationTests.Infrastructure;

namespace RealName.IntegrationTests.Rules;

/// <summary>Identity numbers never reach the database in clear: a full pg_dump is searched for them.</summary>
[Collection(GridCollection.Name)]
public sealed class PersonalDataTests(GridFixture grid)
{
    [Fact]
    public async Task No_plain_identity_number_appears_anywhere_in_a_dump_of_the_database()
    {
        var channel = new RegistrationService.RegistrationServiceClient(grid.Gateway.As(Roles.RetailTerminal));
        var customer = Requests.NewResidentId();
        var agent = Requests.NewResidentId("19700101");
        var request = Requests.Register(Requests.NewPhoneNumber(), customer);
        request.Agent = Requests.Person(agent, Faces.Biden);
        await channel.RegisterSubscriberAsync(request);
        await RpcAssert.Refused("FACE_MISMATCH", () => channel.RegisterSubscriberAsync(Requests.Register(Requests.NewPhoneNumber(), Requests.NewResidentId(), live: Faces.Stranger)));

        var dump = await PgDump.TextAsync(grid.Database.ConnectionString);

        Assert.Contains(request.PhoneNumber, dump, StringComparison.Ordinal); // the dump really holds the data
        Assert.Contains("REGISTRATION_DECIDED", dump, StringComparison.Ordinal);
        foreach (var number in Requests.IssuedDocumentNumbers.Append(customer).Append(agent))
        {
            Assert.DoesNotContain(number, dump, StringComparison.Ordinal);
            Assert.DoesNotContain(number[..17], dump, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("王小明", dump, StringComparison.Ordinal);
        // Grain state (face templates, masked personal fields) is sealed: not even its field names show.
        Assert.DoesNotContain("Embedding", dump, StringComparison.Ordinal);
        Assert.DoesNotContain("MaskedDocumentNumber", dump, StringComparison.Ordinal);
        // Raw face images are not kept unless Evidence:KeepImages is configured.
        Assert.Equal(0L, await grid.Database.ScalarAsync<long>("SELECT count(*) FROM registration_evidence"));
    }
}
