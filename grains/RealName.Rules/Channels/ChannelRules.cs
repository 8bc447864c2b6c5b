namespace RealName.Rules;

/// <summary>Who made a request, as presented: outlet, clerk and device of a carrier's channel. <see cref="Kind"/> is null when unknown.</summary>
public sealed record ChannelInput(ChannelKind? Kind, string CarrierId, string Region, string OutletId, string ClerkId, string DeviceId);

/// <summary>
/// Every decision must say who made the request (责任倒查): a channel without its kind, carrier, region,
/// outlet, clerk and device is refused, and each fact has a bounded length.
/// </summary>
public static class ChannelRules
{
    /// <summary>Longest carrier, region, outlet, clerk or device id.</summary>
    public const int MaxLength = 64;

    /// <summary>The violations of a channel; an empty list means every fact is present (use <see cref="Normalized"/>).</summary>
    public static IReadOnlyList<RuleViolation> Check(ChannelInput channel, string field = "channel")
    {
        var violations = new List<RuleViolation>();
        if (channel.Kind is null)
        {
            violations.Add(new(ReasonCode.FieldRequired, $"{field}.kind", "RETAIL or ONLINE"));
        }

        Require(channel.CarrierId, $"{field}.carrier_id", violations);
        Require(channel.Region, $"{field}.region", violations);
        Require(channel.OutletId, $"{field}.outlet_id", violations);
        Require(channel.ClerkId, $"{field}.clerk_id", violations);
        Require(channel.DeviceId, $"{field}.device_id", violations);
        return violations;
    }

    /// <summary>The channel facts trimmed, as recorded.</summary>
    public static ChannelInput Normalized(ChannelInput channel) =>
        new(channel.Kind, channel.CarrierId.Trim(), channel.Region.Trim(), channel.OutletId.Trim(), channel.ClerkId.Trim(), channel.DeviceId.Trim());

    /// <summary>A request key (idempotency key, request id, report id): 8 to 128 characters.</summary>
    /// <summary>
    /// A request key (idempotency key, request, report or dispute id): 8 to 128 characters, not all of them white
    /// space and none of them a control character (some keys name grains, which refuse a blank key, and PostgreSQL
    /// text cannot hold U+0000).
    /// </summary>
    public static RuleViolation? CheckRequestKey(string key, string field) =>
        key.Length is < 8 or > 128 ? new(ReasonCode.InvalidRequestKey, field, "8 to 128 characters are required")
        : string.IsNullOrWhiteSpace(key) ? new(ReasonCode.InvalidRequestKey, field, "a key of white space only is not allowed")
        : key.Any(char.IsControl) ? new(ReasonCode.InvalidRequestKey, field, "control characters are not allowed")
        : null;

    private static void Require(string value, string field, List<RuleViolation> violations)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            violations.Add(new(ReasonCode.FieldRequired, field, "required"));
        }
        else if (value.Trim().Length > MaxLength)
        {
            violations.Add(new(ReasonCode.FieldTooLong, field, $"at most {MaxLength} characters"));
        }
    }
}
