using System.Collections.Immutable;
using System.Globalization;

namespace RealName.Grains.Subscribers;

/// <summary>The rules a registration must pass before any face is compared: card type, channel policy, age.</summary>
internal static class RegistrationPolicy
{
    public static Refusal? Check(RegistrationRequest request, RegistrationRules rules, DateTimeOffset now)
    {
        if (request.CardType is CardType.Corporate or CardType.Iot && request.Enterprise is null)
        {
            return new Refusal(RefusalCodes.EnterpriseRequired, "Corporate and IoT cards are issued to an enterprise; its facts are required.");
        }

        if (request.CardType == CardType.Iot)
        {
            var generalData = request.Iot is { DirectionalDataOnly: false } iot && iot.MonthlyDataMb > rules.IotGeneralDataThresholdMb;
            if (generalData && request.Customer is null)
            {
                return new Refusal(RefusalCodes.PersonalRealNameRequired,
                    $"An IoT card with general data above {rules.IotGeneralDataThresholdMb} MB a month needs the user's personal real-name registration.");
            }
        }
        else if (request.Customer is null)
        {
            return new Refusal(RefusalCodes.CustomerRequired, "The customer's document, portrait and live photo are required.");
        }

        if (request.Channel.Kind == ChannelKind.Online && rules.OnlineRequiresLiveness && request.Customer is not null)
        {
            if (request.Liveness is null)
            {
                return new Refusal(RefusalCodes.LivenessRequired, "Online registrations need the channel SDK's liveness attestation.");
            }

            if (!request.Liveness.Passed || request.Liveness.Score < rules.MinLivenessScore)
            {
                return new Refusal(RefusalCodes.LivenessFailed, "The liveness attestation did not pass the channel policy.")
                {
                    Details = ImmutableDictionary<string, string>.Empty
                        .Add("score", request.Liveness.Score.ToString("0.000", CultureInfo.InvariantCulture))
                        .Add("minimum", rules.MinLivenessScore.ToString("0.000", CultureInfo.InvariantCulture)),
                };
            }
        }

        var today = DateOnly.FromDateTime(now.ToOffset(rules.CalendarUtcOffset).DateTime);
        if (request.Customer?.BirthDate is { } birth && AgeOn(birth, today) < rules.MinorAgeYears)
        {
            if (request.Guardian is null)
            {
                return new Refusal(RefusalCodes.MinorRequiresGuardian, $"Customers under {rules.MinorAgeYears} register only with a guardian.");
            }

            if (request.Guardian.BirthDate is not { } guardianBirth || AgeOn(guardianBirth, today) < rules.AdultAgeYears)
            {
                return new Refusal(RefusalCodes.GuardianNotAdult, $"The guardian must be at least {rules.AdultAgeYears}.");
            }
        }

        return null;
    }

    public static int AgeOn(DateOnly birth, DateOnly today)
    {
        var age = today.Year - birth.Year;
        return birth.AddYears(age) > today ? age - 1 : age;
    }
}
