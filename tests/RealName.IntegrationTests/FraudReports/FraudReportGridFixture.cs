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
}

[CollectionDefinition(Name)]
public sealed class FraudReportCollection : ICollectionFixture<FraudReportGridFixture>
{
    public const string Name = "fraud-reports";
}
