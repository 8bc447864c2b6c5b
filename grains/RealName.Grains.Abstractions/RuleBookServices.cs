using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RealName.Rules;

namespace RealName.Grains;

/// <summary>
/// Registers the rule book's settings the same way in the silo, the gateway and the test clusters: bound
/// from configuration and validated when the host starts, so a bad value stops start-up with a message
/// that names the setting (e.g. "Rules:MaxNumbersPerCarrier must be between 1 and 100.").
/// </summary>
public static class RuleBookServices
{
    /// <summary>The civil calendar (section "Calendar") every date rule and report uses.</summary>
    public static IServiceCollection AddCivilCalendar(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<CalendarOptions>(configuration, CalendarOptions.Section);
        services.TryAddSingleton(sp => new CivilCalendar(sp.GetRequiredService<IOptions<CalendarOptions>>().Value.UtcOffset));
        return services;
    }

    /// <summary>The rule settings (sections "Rules" and "ReReview") and the calendar.</summary>
    public static IServiceCollection AddRuleBook(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<RuleOptions>(configuration, RuleOptions.Section);
        services.AddValidatedOptions<ReReviewOptions>(configuration, ReReviewOptions.Section);
        return services.AddCivilCalendar(configuration);
    }

    /// <summary>
    /// Settings read while the host is being built (endpoints, limiter sizes): bound and checked against their
    /// data annotations at once, so a bad value stops start-up with the same messages as <see cref="AddValidatedOptions"/>.
    /// </summary>
    public static TOptions GetValidated<TOptions>(this IConfiguration configuration, string section)
        where TOptions : class, new()
    {
        var options = configuration.GetSection(section).Get<TOptions>() ?? new TOptions();
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            throw new OptionsValidationException(section, typeof(TOptions), results.Select(r => r.ErrorMessage ?? section));
        }

        return options;
    }

    /// <summary>Binds <typeparamref name="TOptions"/> to a configuration section, checks its data annotations, and does so at start.</summary>
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions>(this IServiceCollection services, IConfiguration configuration, string section)
        where TOptions : class =>
        services.AddOptions<TOptions>().Bind(configuration.GetSection(section)).ValidateDataAnnotations().ValidateOnStart();
}
