using Google.Protobuf.WellKnownTypes;
using RealName.Contracts.V1;
using GrainRestriction = RealName.Grains.Restrictions.Restriction;
using GrainAppeal = RealName.Grains.Restrictions.RestrictionAppeal;

namespace RealName.Gateway.Services;

/// <summary>Restrictions and appeals as clients see them (status at the grid's clock).</summary>
internal static class RestrictionMapping
{
    public static Restriction ToContract(this GrainRestriction restriction, DateTimeOffset now)
    {
        // Seen no earlier than it was recorded (the silo's clock stamped it; this gateway's may lag a little).
        now = now < restriction.RestrictedAt ? restriction.RestrictedAt : now;
        var contract = new Restriction
        {
            RestrictionId = restriction.RestrictionId,
            IdentityKey = restriction.IdentityKey,
            DocumentType = ContractMapping.ToContract(restriction.Order.DocumentKind),
            MaskedDocumentNumber = restriction.Order.MaskedDocumentNumber,
            Reason = restriction.Order.Reason,
            AuthorityReference = restriction.Order.AuthorityReference,
            StartsAt = Timestamp.FromDateTimeOffset(restriction.StartsAt),
            EndsAt = Timestamp.FromDateTimeOffset(restriction.Order.EndsAt),
            Status = restriction.StatusAt(now) switch
            {
                Rules.RestrictionStatus.Scheduled => RestrictionStatus.Scheduled,
                Rules.RestrictionStatus.Active => RestrictionStatus.Active,
                Rules.RestrictionStatus.Expired => RestrictionStatus.Expired,
                _ => RestrictionStatus.Lifted,
            },
            RestrictedBy = restriction.RestrictedBy,
            RestrictedAt = Timestamp.FromDateTimeOffset(restriction.RestrictedAt),
        };
        if (restriction.Lift is { } lift)
        {
            contract.LiftedBy = lift.By;
            contract.LiftedAt = Timestamp.FromDateTimeOffset(lift.At);
            contract.LiftReason = lift.Reason;
        }

        contract.Appeals.AddRange(restriction.Appeals.Select(ToContract));
        return contract;
    }

    private static RestrictionAppeal ToContract(GrainAppeal appeal)
    {
        var contract = new RestrictionAppeal
        {
            AppealId = appeal.AppealId,
            FiledBy = appeal.FiledBy,
            FiledAt = Timestamp.FromDateTimeOffset(appeal.FiledAt),
            Statement = appeal.Filing.Statement,
            ReceivedVia = appeal.Filing.ReceivedVia,
        };
        if (appeal.Decision is { } decision)
        {
            contract.Decision = decision.Lift ? AppealDecision.Lift : AppealDecision.Uphold;
            contract.DecidedBy = decision.By;
            contract.DecidedAt = Timestamp.FromDateTimeOffset(decision.At);
            contract.DecisionReason = decision.Reason;
        }

        return contract;
    }
}
