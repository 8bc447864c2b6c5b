namespace RealName.Rules;

/// <summary>Minors (below <see cref="RuleOptions.MinorAgeYears"/>) register only with a guardian of at least <see cref="RuleOptions.AdultAgeYears"/>.</summary>
public static class AgeRules
{
    /// <summary>Completed years on a civil date. A birthday counts on the day itself; 29 February counts on 28 February of common years.</summary>
    public static int AgeOn(DateOnly birth, DateOnly today)
    {
        var age = today.Year - birth.Year;
        return birth.AddYears(age) > today ? age - 1 : age;
    }

    public static RuleViolation? Check(DateOnly? customerBirth, bool hasGuardian, DateOnly? guardianBirth, DateOnly today, RuleOptions options)
    {
        if (customerBirth is not { } birth || AgeOn(birth, today) >= options.MinorAgeYears)
        {
            return null;
        }

        if (!hasGuardian)
        {
            return new(ReasonCode.MinorRequiresGuardian, "guardian", $"Customers under {options.MinorAgeYears} register only with a guardian.");
        }

        return guardianBirth is { } g && AgeOn(g, today) >= options.AdultAgeYears
            ? null
            : new(ReasonCode.GuardianNotAdult, "guardian", $"The guardian must be at least {options.AdultAgeYears}.");
    }
}
