using System.Collections.Immutable;

namespace RealName.Rules;

/// <summary>A number held under an identity, as the limit rules need it.</summary>
public sealed record Holding(string CarrierId, bool Confirmed, DateTimeOffset Since);

/// <summary>
/// 一证五号: one identity holds at most <see cref="RuleOptions.MaxNumbersPerCarrier"/> numbers at one carrier
/// (or MVNO). A reservation (a registration under way) counts like a held number until it is confirmed or,
/// unconfirmed, older than <see cref="RuleOptions.ReservationTimeout"/>. When an identity's confirmed numbers
/// over all carriers reach <see cref="RuleOptions.ManyCardsThreshold"/>, its other numbers are re-reviewed.
/// </summary>
public static class IdentityLimits
{
    /// <summary>Whether a holding still counts against the limit at <paramref name="now"/> (reservations expire after <paramref name="reservationTimeout"/>).</summary>
    public static bool Counts(Holding holding, DateTimeOffset now, TimeSpan reservationTimeout) =>
        holding.Confirmed || now - holding.Since <= reservationTimeout;

    /// <summary>Refuses one more number at a carrier where the identity already holds <paramref name="heldAtCarrier"/> (limit: <see cref="RuleOptions.MaxNumbersPerCarrier"/>).</summary>
    public static RuleViolation? CheckOneMore(int heldAtCarrier, int limit) =>
        heldAtCarrier < limit
            ? null
            : new(ReasonCode.IdentityLimitExceeded, "customer", $"The identity already holds {heldAtCarrier} numbers at this carrier (limit {limit}).")
            {
                Details = ImmutableDictionary<string, string>.Empty.Add("held", $"{heldAtCarrier}").Add("limit", $"{limit}"),
            };

    /// <summary>
    /// True when a number just confirmed (<paramref name="newlyConfirmed"/>) makes the identity's confirmed numbers
    /// over all carriers (<paramref name="confirmedNow"/>, the new one included) reach <paramref name="threshold"/>
    /// (<see cref="RuleOptions.ManyCardsThreshold"/>): then its other numbers are re-reviewed, once.
    /// </summary>
    public static bool ReachesManyCards(bool newlyConfirmed, int confirmedNow, int threshold) =>
        newlyConfirmed && confirmedNow == threshold;
}
