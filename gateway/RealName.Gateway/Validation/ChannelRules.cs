using RealName.Contracts.V1;
using RealName.Grains;

namespace RealName.Gateway.Validation;

/// <summary>Every decision must say who made the request; a channel without outlet, clerk and device is refused.</summary>
public static class ChannelRules
{
    private const int MaxLength = 64;

    public static ChannelFacts? Check(ChannelContext? channel, Violations violations, string field = "channel")
    {
        if (channel is null)
        {
            violations.Add(field, "required");
            return null;
        }

        var before = violations.Count;
        Grains.ChannelKind? kind = channel.Kind switch
        {
            Contracts.V1.ChannelKind.Retail => Grains.ChannelKind.Retail,
            Contracts.V1.ChannelKind.Online => Grains.ChannelKind.Online,
            _ => null,
        };
        if (kind is null)
        {
            violations.Add($"{field}.kind", "required: RETAIL or ONLINE");
        }

        Require(channel.CarrierId, $"{field}.carrier_id", violations);
        Require(channel.Region, $"{field}.region", violations);
        Require(channel.OutletId, $"{field}.outlet_id", violations);
        Require(channel.ClerkId, $"{field}.clerk_id", violations);
        Require(channel.DeviceId, $"{field}.device_id", violations);
        if (violations.Count > before || kind is null)
        {
            return null;
        }

        return new ChannelFacts(kind.Value, channel.CarrierId.Trim(), channel.Region.Trim(), channel.OutletId.Trim(), channel.ClerkId.Trim(), channel.DeviceId.Trim());
    }

    private static void Require(string value, string field, Violations violations)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            violations.Add(field, "required");
        }
        else if (value.Trim().Length > MaxLength)
        {
            violations.Add(field, $"at most {MaxLength} characters");
        }
    }
}
