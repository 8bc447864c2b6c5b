using RealName.Rules;
using System.Security.Claims;
using RealName.Grains;

namespace RealName.Gateway.Security;

/// <summary>
/// What the authenticated caller may act for (see CallerDefinition for the scope rules). Requests whose
/// channel facts or numbers fall outside it are PERMISSION_DENIED with reason CALLER_SCOPE_MISMATCH.
/// An empty carrier list is unrestricted (only REVIEWER and RISK_OPERATOR can have one); an empty outlet
/// or device list means any outlet / device of the caller's carriers.
/// </summary>
public sealed record CallerRights(
    string Name,
    IReadOnlySet<string> CarrierIds,
    IReadOnlySet<string> OutletIds,
    string? ChannelKind,
    IReadOnlySet<string> DeviceIds)
{
    public static CallerRights Of(ServerCallContext context) => Of(context.GetHttpContext().User);

    public static CallerRights Of(ClaimsPrincipal user) => new(
        user.FindFirstValue(ClaimTypes.Name) ?? throw new InvalidOperationException("an authenticated caller is required"),
        Values(user, CallerPrincipal.CarrierClaim),
        Values(user, CallerPrincipal.OutletClaim),
        user.FindFirstValue(CallerPrincipal.ChannelKindClaim),
        Values(user, CallerPrincipal.DeviceClaim));

    public bool ActsFor(string carrierId) => CarrierIds.Count == 0 || CarrierIds.Contains(carrierId);

    /// <summary>The caller is scoped to exactly the outlet (carrier, kind, outlet) that opened a number.</summary>
    public bool IsOutletOf(ChannelFacts openedBy) =>
        CarrierIds.Contains(openedBy.CarrierId) && OutletIds.Contains(openedBy.OutletId) && ChannelKind == WireCodes.Of(openedBy.Kind);

    /// <summary>Refuses channel facts the caller may not claim: another carrier, outlet, channel kind or device.</summary>
    public void Require(ChannelFacts facts)
    {
        var kind = WireCodes.Of(facts.Kind);
        if (!ActsFor(facts.CarrierId))
        {
            throw Denied($"The caller does not act for carrier {facts.CarrierId}.");
        }

        if (ChannelKind is not null && ChannelKind != kind)
        {
            throw Denied($"The caller acts for {ChannelKind} channels, not {kind}.");
        }

        if (OutletIds.Count > 0 && !OutletIds.Contains(facts.OutletId))
        {
            throw Denied($"The caller does not act for outlet {facts.OutletId}.");
        }

        if (DeviceIds.Count > 0 && !DeviceIds.Contains(facts.DeviceId))
        {
            throw Denied($"The caller does not act from device {facts.DeviceId}.");
        }
    }

    /// <summary>Refuses a number of a carrier the caller does not act for.</summary>
    public void RequireCarrier(string carrierId)
    {
        if (!ActsFor(carrierId))
        {
            throw Denied($"The caller does not act for carrier {carrierId}.");
        }
    }

    public static RpcException Denied(string message) => GrpcErrors.Error(ReasonCode.CallerScopeMismatch, message);

    private static HashSet<string> Values(ClaimsPrincipal user, string type) =>
        user.FindAll(type).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
}
