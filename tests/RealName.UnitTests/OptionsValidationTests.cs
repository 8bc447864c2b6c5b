using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RealName.Face;
using RealName.Grains;
using RealName.Rules;
using RealName.Silo;

namespace RealName.UnitTests;

/// <summary>Bad settings stop start-up with a message that names the setting.</summary>
public sealed class OptionsValidationTests
{
    private static ServiceProvider Services(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
        return new ServiceCollection().AddRuleBook(configuration).BuildServiceProvider();
    }

    [Fact]
    public void A_bad_rule_setting_is_refused_at_start_naming_the_setting()
    {
        using var services = Services(("Rules:MaxNumbersPerCarrier", "0"), ("ReReview:Deadline", "00:00:00"));

        // ValidateOnStart: the host runs these validators before it starts anything; two bad settings, two messages.
        var error = Assert.Throws<AggregateException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Rules:MaxNumbersPerCarrier must be between 1 and 100.", error.Message, StringComparison.Ordinal);
        Assert.Contains("ReReview:Deadline must be between 00:00:01 and 30.00:00:00.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Good_settings_bind_and_the_calendar_follows_its_one_setting()
    {
        using var services = Services(("Rules:MaxNumbersPerCarrier", "3"), ("Calendar:UtcOffset", "-05:00:00"));

        services.GetRequiredService<IStartupValidator>().Validate();

        Assert.Equal(3, services.GetRequiredService<IOptions<RuleOptions>>().Value.MaxNumbersPerCarrier);
        var calendar = services.GetRequiredService<CivilCalendar>();
        Assert.Equal(new DateOnly(2026, 11, 21), calendar.DateOf(new DateTimeOffset(2026, 11, 22, 4, 59, 0, TimeSpan.Zero)));
        Assert.Equal("UTC-05:00", calendar.Label);
        Assert.Equal("interval '-300 minutes'", calendar.SqlInterval);
    }

    [Fact]
    public void The_default_calendar_is_China_Standard_Time()
    {
        var calendar = CivilCalendar.Default;

        Assert.Equal(new DateOnly(2026, 11, 23), calendar.DateOf(new DateTimeOffset(2026, 11, 22, 16, 0, 0, TimeSpan.Zero)));
        Assert.Equal(new DateOnly(2026, 11, 22), calendar.DateOf(new DateTimeOffset(2026, 11, 22, 15, 59, 59, TimeSpan.Zero)));
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 16, 0, 0, TimeSpan.Zero), calendar.StartOf(new DateOnly(2026, 11, 22)));
    }

    [Fact]
    public void Settings_read_while_the_host_is_built_are_checked_too()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Cluster:SiloPort"] = "70000" })
            .Build();

        var error = Assert.Throws<OptionsValidationException>(() => configuration.GetValidated<OrleansClusterOptions>(OrleansClusterOptions.Section));

        Assert.Contains("Cluster:SiloPort must be between 1 and 65535.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Face_settings_are_checked_inside_their_sections_and_against_each_other()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Face:Gates:MaxImagePixels"] = "5000000000",
                ["Face:Gates:MinBrightness"] = "200",
                ["Face:Gates:MaxBrightness"] = "100",
                ["Face:Decision:MatchThreshold"] = "0.4",
                ["Face:Decision:ReviewThreshold"] = "0.6",
                ["Face:Decision:SearchAtFar"] = "1e-6",
            })
            .Build();
        using var services = new ServiceCollection().AddFaceEngine(configuration).BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Face:Gates:MaxImagePixels must be between 10000 and 100000000.", error.Message, StringComparison.Ordinal);
        Assert.Contains("Face:Gates:MinBrightness must be below Face:Gates:MaxBrightness.", error.Message, StringComparison.Ordinal);
        Assert.Contains("Face:Decision:ReviewThreshold must not be above Face:Decision:MatchThreshold.", error.Message, StringComparison.Ordinal);
        Assert.Contains("Face:Decision:SearchAtFar must be 1e-3, 1e-4 or 1e-5.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_face_index_shard_count_is_checked_at_start()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["FaceIndex:Shards"] = "0" })
            .Build();
        using var services = new ServiceCollection()
            .AddValidatedOptions<RealName.Grains.FaceIndex.FaceIndexOptions>(configuration, RealName.Grains.FaceIndex.FaceIndexOptions.Section).Services
            .BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("FaceIndex:Shards must be between 1 and 1024.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_attempt_limits_are_checked_at_start_and_default_to_15_a_minute_and_30_a_day_per_identity()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["AttemptLimits:PerIdentityPerMinute"] = "-1" })
            .Build();
        using var services = new ServiceCollection()
            .AddValidatedOptions<RealName.Grains.Attempts.AttemptLimitOptions>(configuration, RealName.Grains.Attempts.AttemptLimitOptions.Section).Services
            .BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("AttemptLimits:PerIdentityPerMinute must be between 0 and 100000.", error.Message, StringComparison.Ordinal);
        Assert.Equal(new AttemptRate(15, 30), new RealName.Grains.Attempts.AttemptLimitOptions().PerIdentity);
    }

    [Fact]
    public void Fraud_report_and_outlet_accountability_settings_are_checked_at_start()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["FraudReports:CancelAfter"] = "00:00:00",
                ["FraudReports:CheckInterval"] = "2.00:00:00",
                ["OutletAccountability:Threshold"] = "0",
                ["OutletAccountability:Window"] = "00:00:00",
            })
            .Build();
        using var services = new ServiceCollection()
            .AddValidatedOptions<RealName.Grains.FraudReports.FraudReportOptions>(configuration, RealName.Grains.FraudReports.FraudReportOptions.Section).Services
            .AddValidatedOptions<RealName.Grains.Outlets.OutletAccountabilityOptions>(configuration, RealName.Grains.Outlets.OutletAccountabilityOptions.Section).Services
            .BuildServiceProvider();

        // Two options classes fail together: the start-up validator aggregates them.
        var error = Assert.Throws<AggregateException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("FraudReports:CancelAfter must be between", error.Message, StringComparison.Ordinal);
        Assert.Contains("FraudReports:CheckInterval must be between", error.Message, StringComparison.Ordinal);
        Assert.Contains("OutletAccountability:Threshold must be between 1 and 100000.", error.Message, StringComparison.Ordinal);
        Assert.Contains("OutletAccountability:Window must be between", error.Message, StringComparison.Ordinal);
    }
}
