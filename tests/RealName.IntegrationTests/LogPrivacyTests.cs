using RealName.Contracts.V1;
using RealName.IntegrationTests.Infrastructure;

namespace RealName.IntegrationTests;

/// <summary>
/// A silo logging at Debug (Orleans included, so grain ids such as "subscriber/138…" appear in its messages)
/// serves registrations, refusals, reviews and a cancellation; its whole console output is then searched for
/// every phone number, document number and name the scenario used.
/// </summary>
public sealed class LogPrivacyTests
{
    [Fact]
    public async Task A_silo_logging_at_debug_writes_no_phone_number_document_number_or_name_in_clear()
    {
        await using var grid = await GridFixture.StartAsync(new Dictionary<string, string>(LivenessSdk.SiloSettings)
        {
            ["Logging:LogLevel:Default"] = "Debug",
            ["Logging:LogLevel:Orleans"] = "Debug",
        });
        var channel = new RegistrationService.RegistrationServiceClient(grid.Gateway.As(Roles.RetailTerminal));
        var (identity, phones) = (Requests.NewResidentId(), Enumerable.Range(0, 3).Select(_ => Requests.NewPhoneNumber()).ToList());

        await channel.RegisterSubscriberAsync(Requests.Register(phones[0], identity));
        await RpcAssert.Refused("FACE_MISMATCH", () => channel.RegisterSubscriberAsync(Requests.Register(phones[1], identity, live: Faces.Stranger)));
        await channel.RegisterSubscriberAsync(Requests.Register(phones[2], identity));
        await RpcAssert.Refused("NUMBER_ALREADY_REGISTERED", () => channel.RegisterSubscriberAsync(Requests.Register(phones[2], identity)));
        await channel.GetSubscriberAsync(new GetSubscriberRequest { PhoneNumber = phones[0] });
        await channel.CancelSubscriberAsync(new CancelSubscriberRequest
        {
            PhoneNumber = phones[0],
            Reason = "CANCELLED_BY_HOLDER",
            Proof = Requests.Proof(identity, Faces.CardHolder.OtherLive, phone: phones[0]),
        });

        var log = grid.Silo.Output;
        Assert.All(phones.Append(identity).Append("王小明"), secret => Assert.DoesNotContain(secret, log, StringComparison.Ordinal));
        // Not vacuous: the silo did log these numbers, masked.
        Assert.Contains(PersonalDataMask(phones[0]), log, StringComparison.Ordinal);
    }

    private static string PersonalDataMask(string number) => global::RealName.Rules.PersonalDataMasks.Number(number);
}
