using System.Collections.Immutable;
using System.Globalization;

namespace RealName.Rules;

/// <summary>The channel SDK's liveness result as the rule needs it.</summary>
public sealed record LivenessResult(bool Passed, double Score);

/// <summary>
/// Online registrations of a person need the channel SDK's passed liveness attestation with at least
/// <see cref="RuleOptions.MinLivenessScore"/> (when <see cref="RuleOptions.OnlineRequiresLiveness"/>).
/// Whether the attestation is authentic (its signature) is checked before this rule, not here.
/// </summary>
public static class LivenessPolicy
{
    public static RuleViolation? Check(ChannelKind channel, bool hasCustomer, LivenessResult? liveness, RuleOptions options)
    {
        if (channel != ChannelKind.Online || !options.OnlineRequiresLiveness || !hasCustomer)
        {
            return null;
        }

        if (liveness is null)
        {
            return new(ReasonCode.LivenessRequired, "liveness", "Online registrations need the channel SDK's liveness attestation.");
        }

        return liveness.Passed && liveness.Score >= options.MinLivenessScore
            ? null
            : new(ReasonCode.LivenessFailed, "liveness", "The liveness attestation did not pass the channel policy.")
            {
                Details = ImmutableDictionary<string, string>.Empty
                    .Add("score", liveness.Score.ToString("0.000", CultureInfo.InvariantCulture))
                    .Add("minimum", options.MinLivenessScore.ToString("0.000", CultureInfo.InvariantCulture)),
            };
    }
}
