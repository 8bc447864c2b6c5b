using RealName.Contracts.V1;

namespace RealName.IntegrationTests;

/// <summary>Well-formed requests for the tests; each call gets a fresh phone number and idempotency key.</summary>
internal static class Requests
{
    private static int next = 200_000;

    public static string NewPhoneNumber() => $"137{Interlocked.Increment(ref next):D8}";

    /// <summary>A resident ID with a correct GB 11643 check digit for the given 17 leading digits.</summary>
    public static string ResidentId(string first17)
    {
        int[] weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        var sum = first17.Select((c, i) => (c - '0') * weights[i]).Sum();
        return first17 + "10X98765432"[sum % 11];
    }

    public static RegisterSubscriberRequest Register(string phone, string? idNumber = null, string outlet = "SH-001") => new()
    {
        PhoneNumber = phone,
        Document = new IdentityDocument
        {
            Type = DocumentType.ResidentId,
            Number = idNumber ?? ResidentId("31010419800101123"),
            Name = "王小明",
            ValidUntil = "2035-01-01",
        },
        Channel = new ChannelContext
        {
            Kind = ChannelKind.Retail,
            CarrierId = "cmcc",
            Region = "310000",
            OutletId = outlet,
            ClerkId = "clerk-1",
            DeviceId = "reader-1",
        },
        IdempotencyKey = Guid.NewGuid().ToString("N"),
    };
}
