using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Npgsql;
using RealName.Gateway.Identity;
using DocumentKind = RealName.Rules.DocumentKind;
using RealName.Contracts.V1;
using RealName.IntegrationTests.Infrastructure;

namespace RealName.IntegrationTests.Identity;

/// <summary>
/// Rotating the HMAC key of identity keys on a live grid: a gateway with key version 2 current and version 1 kept,
/// beside a gateway still on version 1 (a rolling deployment). The person's numbers, enrolled face and limit follow
/// them to the new key the first time they present their document; nothing is counted twice or lost.
/// </summary>
[Collection(GridCollection.Name)]
public sealed class IdentityKeyRotationTests(GridFixture grid)
{
    [Fact]
    public async Task Numbers_faces_and_the_limit_follow_the_person_to_the_new_key()
    {
        var version1 = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var version2 = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        await using var before = await GatewayServer.StartAsync(grid.Database, grid.ClusterId, new Dictionary<string, string?> { ["Identity:HmacKey"] = version1 });
        await using var after = await GatewayServer.StartAsync(grid.Database, grid.ClusterId, new Dictionary<string, string?>
        {
            ["Identity:HmacKey"] = version1,
            ["Identity:HmacKeys:2"] = version2,
            ["Identity:CurrentKeyVersion"] = "2",
        });
        var old = new RegistrationService.RegistrationServiceClient(before.As(Roles.RetailTerminal));
        var rotated = new RegistrationService.RegistrationServiceClient(after.As(Roles.RetailTerminal));
        var citizen = Requests.NewResidentId();
        var underVersion1 = new[] { Requests.NewPhoneNumber(), Requests.NewPhoneNumber() };
        foreach (var phone in underVersion1)
        {
            Assert.Equal(SubscriberStatus.Active, (await old.RegisterSubscriberAsync(Requests.Register(phone, citizen))).Subscriber.Status);
        }

        var underVersion2 = new[] { Requests.NewPhoneNumber(), Requests.NewPhoneNumber(), Requests.NewPhoneNumber() };
        foreach (var phone in underVersion2)
        {
            Assert.Equal(SubscriberStatus.Active, (await rotated.RegisterSubscriberAsync(Requests.Register(phone, citizen))).Subscriber.Status);
        }

        // Five in all: the sixth is refused through either gateway (the old key's grain forwards to the new one).
        var sixth = await RpcAssert.Refused("IDENTITY_LIMIT_EXCEEDED", () => rotated.RegisterSubscriberAsync(Requests.Register(Requests.NewPhoneNumber(), citizen)));
        Assert.Equal("5", sixth.Metadata["held"]);
        await RpcAssert.Refused("IDENTITY_LIMIT_EXCEEDED", () => old.RegisterSubscriberAsync(Requests.Register(Requests.NewPhoneNumber(), citizen)));

        // Self-service under the new key lists all five and proves the face enrolled under the old key.
        var selfService = new SelfServiceService.SelfServiceServiceClient(after.As(Roles.OnlineSales));
        var listed = await selfService.ListNumbersAsync(new ListNumbersRequest { Proof = Rules.SelfServiceTests.Proof(citizen, Faces.CardHolder.OtherLive) });
        Assert.Equal(underVersion1.Concat(underVersion2).Order(), listed.Numbers.Select(n => n.PhoneNumber).Order());

        // A number registered under the old key is cancelled: its place is freed under the new key.
        var proof = Requests.Proof(citizen, Faces.CardHolder.OtherLive, phone: underVersion1[0]);
        await rotated.CancelSubscriberAsync(new CancelSubscriberRequest { PhoneNumber = underVersion1[0], Reason = "CANCELLED_BY_HOLDER", Proof = proof });
        Assert.Equal(SubscriberStatus.Active, (await rotated.RegisterSubscriberAsync(Requests.Register(Requests.NewPhoneNumber(), citizen))).Subscriber.Status);

        // The adoption is audited once, under the new key, with the caller whose request caused it.
        await using var connection = new NpgsqlConnection(grid.Database.ConnectionString);
        await connection.OpenAsync();
        var keys = new IdentityProtector(Options.Create(new IdentityOptions { HmacKey = version1, HmacKeys = { [2] = version2 } }));
        var newKey = keys.IdentityKey(DocumentKind.ResidentId, citizen);
        var adopted = await Sql.Scalar<string>(connection,
            "SELECT string_agg(caller || '|' || details || '|' || personal_details, ';') FROM audit_events WHERE event_type = 'IDENTITY_ADOPTED' AND identity_key = @key",
            ("key", newKey));
        var row = Assert.Single(adopted.Split(';'));
        Assert.StartsWith("v2.", newKey);
        Assert.StartsWith(GatewayServer.NameFor(Roles.RetailTerminal) + "|", row);
        Assert.Contains("\"numbers\":2", row);
        var oldKey = new IdentityProtector(Options.Create(new IdentityOptions { HmacKey = version1 })).IdentityKey(DocumentKind.ResidentId, citizen);
        Assert.Contains($"\"former_identity_key\":\"{oldKey}\"", row);
    }
}
