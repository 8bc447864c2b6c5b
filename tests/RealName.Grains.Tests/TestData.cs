using RealName.Grains.Subscribers;

namespace RealName.Grains.Tests;

internal static class TestData
{
    private static int next = 100_000;

    /// <summary>A fresh, valid-looking mobile number per call so tests never share grains.</summary>
    public static string NewPhoneNumber() => $"139{Interlocked.Increment(ref next):D8}";

    public static ChannelFacts Retail(string outlet = "SH-001", string clerk = "clerk-1") =>
        new(ChannelKind.Retail, "cmcc", "310000", outlet, clerk, "reader-1");

    public static SubscriberOwner Owner(string identityKey = "identity-key-1") =>
        new(identityKey, DocumentKind.ResidentId, "110*************2X", "张*");
}
