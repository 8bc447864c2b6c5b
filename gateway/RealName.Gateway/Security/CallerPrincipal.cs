using System.Security.Claims;
using RealName.Storage.Reads;

namespace RealName.Gateway.Security;

/// <summary>The authenticated caller as a principal: its name, role and scope as claims.</summary>
public static class CallerPrincipal
{
    public const string CarrierClaim = "realname:carrier";
    public const string OutletClaim = "realname:outlet";
    public const string ChannelKindClaim = "realname:channel_kind";
    public const string DeviceClaim = "realname:device";

    public static ClaimsPrincipal Create(CallerRow caller, string scheme)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, caller.Name), new(ClaimTypes.Role, caller.Role) };
        claims.AddRange(caller.CarrierIds.Select(c => new Claim(CarrierClaim, c)));
        claims.AddRange(caller.OutletIds.Select(o => new Claim(OutletClaim, o)));
        claims.AddRange(caller.DeviceIds.Select(d => new Claim(DeviceClaim, d)));
        if (caller.ChannelKind is { } kind)
        {
            claims.Add(new Claim(ChannelKindClaim, kind));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }
}
