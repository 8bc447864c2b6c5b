using RealName.Contracts.V1;
using RealName.IntegrationTests.Infrastructure;

namespace RealName.IntegrationTests.FraudReports;

/// <summary>
/// A grid of its own for the fraud-report loop: re-review deadlines of 5 s (as the shared grid), cases that look at
/// their number every second and cancel a number suspended for 4 s, and outlets suspended at 2 confirmed reports.
/// </summary>
public sealed class FraudReportGridFixture : GridFixture
{
    protected override IReadOnlyDictionary<string, string> SiloSettings => new Dictionary<string, string>(base.SiloSettings)
    {
        ["FraudReports:CancelAfter"] = "00:00:04",
        ["FraudReports:CheckInterval"] = "00:00:01",
        ["OutletAccountability:Threshold"] = "2",
        ["OutletAccountability:Window"] = "01:00:00",
        ["OutletAccountability:CampaignLookback"] = "01:00:00",
    };

    /// <summary>How long the tests wait for a reminder's step (seconds here, but the machine may be loaded).</summary>
    public static TimeSpan Patience { get; } = TimeSpan.FromSeconds(60);

    public RegistrationService.RegistrationServiceClient Channel => new(Gateway.As(Roles.RetailTerminal));

    public RiskService.RiskServiceClient Risk => new(Gateway.As(Roles.RiskOperator));

    /// <summary>A new number registered (ACTIVE) at the outlet, under a new identity.</summary>
    public async Task<string> RegisteredAsync(string outlet)
    {
        var phone = Requests.NewPhoneNumber();
        var registered = await Channel.RegisterSubscriberAsync(Requests.Register(phone, Requests.NewResidentId(), outlet: outlet));
        Assert.Equal(SubscriberStatus.Active, registered.Subscriber.Status);
        return phone;
    }
}

[CollectionDefinition(Name)]
public sealed class FraudReportCollection : ICollectionFixture<FraudReportGridFixture>
{
    public const string Name = "fraud-reports";
}
