using RealName.Contracts.V1;
using RealName.Gateway.Identity;
using RealName.Grains.Identities;
using RealName.Grains.Subscribers;
using RealName.Rules;

namespace RealName.Gateway.Services;

/// <summary>
/// The holder's face proof (一证通查): the document's identity grain checks the signed liveness attestation,
/// then compares the live photo with the enrolled face (too many failed proofs lock self-service for a while). Used by self-service look-ups and disputes, and by cancellations from callers that are
/// not scoped to the outlet that opened the number. The proof's channel must be within the caller's scope.
/// </summary>
public sealed class HolderProofs(
    IClusterClient cluster,
    IdentityProtector identities,
    CivilCalendar calendar,
    TimeProvider clock)
{
    /// <param name="phoneNumber">The number the request is about (signed in the liveness attestation); empty for a listing.</param>
    public async Task<HolderVerification> Verify(CallerRights scope, HolderProof? proof, string phoneNumber, string requestId, Violations violations, CancellationToken cancellationToken)
    {
        if (proof is null)
        {
            violations.Add(new RuleViolation(ReasonCode.FieldRequired, "proof", "required"));
            violations.ThrowIfAny();
        }

        var channel = EvidenceReader.Channel(proof!.Channel, violations, "proof.channel");
        if (channel is not null)
        {
            scope.Require(channel);
        }

        var reader = new EvidenceReader(identities, calendar.Today(clock), violations);
        var document = reader.Document(proof.Document, "proof.document");
        var live = reader.Image(proof.LiveImage, "proof.live_image");
        var liveness = EvidenceReader.Liveness(proof.Liveness, "proof.liveness", violations);
        violations.ThrowIfAny();

        var verified = await cluster.GetGrain<IIdentityGrain>(reader.Owner(document!).IdentityKey)
            .VerifyHolder(
                new HolderCheck(live!, channel!, liveness, phoneNumber, requestId)
                {
                    FormerKeys = identities.FormerIdentityKeys(document!.Kind, document.Number),
                },
                cancellationToken);
        if (verified.Refusal is { } refusal)
        {
            throw GrpcErrors.Refused(refusal);
        }

        return verified;
    }

    /// <summary>The number holds under the proven identity, else FAILED_PRECONDITION (NUMBER_NOT_UNDER_IDENTITY).</summary>
    public static void RequireHeld(HolderVerification verified, string phoneNumber)
    {
        if (verified.Numbers.All(n => n.PhoneNumber != phoneNumber))
        {
            throw GrpcErrors.For(new RuleViolation(ReasonCode.NumberNotUnderIdentity, "phone_number", "The number is not held under this identity."));
        }
    }

    /// <summary>
    /// A number is cancelled by a caller of its carrier that either is scoped to the outlet (carrier,
    /// channel kind, outlet) that opened it, or brings the holder's face proof.
    /// </summary>
    public async Task RequireCancellationRight(CallerRights scope, SubscriberRecord record, HolderProof? proof, CancellationToken cancellationToken)
    {
        scope.RequireCarrier(record.RegisteredBy.CarrierId);
        if (proof is null)
        {
            if (!scope.IsOutletOf(record.RegisteredBy))
            {
                throw CallerRights.Denied("Cancelling needs the holder's face proof, or a caller scoped to the outlet that opened the number.");
            }

            return;
        }

        RequireHeld(await Verify(scope, proof, record.PhoneNumber, Guid.NewGuid().ToString("N"), new Violations(), cancellationToken), record.PhoneNumber);
    }
}
