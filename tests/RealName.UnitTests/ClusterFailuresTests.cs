using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using RealName.Grains;

namespace RealName.UnitTests;

/// <summary>
/// A grain call that Orleans' placement retries gave up on (a silo died) fails with Polly's TimeoutRejectedException,
/// which Orleans cannot serialize back to the caller (the gateway then saw INTERNAL in the chaos run); the grain call
/// filter sends a TimeoutException instead, which Orleans carries and the gateway maps to UNAVAILABLE.
/// </summary>
public sealed class ClusterFailuresTests
{
    private static readonly Serializer Serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();

    [Fact]
    public void A_placement_timeout_becomes_a_timeout_the_caller_can_receive()
    {
        var rejected = new Polly.Timeout.TimeoutRejectedException("The operation didn't complete within the allowed timeout of '00:00:05'.");
        Assert.Throws<CodecNotFoundException>(() => Serializer.SerializeToArray<Exception>(rejected));

        var sent = ClusterFailures.Unsendable(new InvalidOperationException("placement", rejected));

        Assert.NotNull(sent);
        var received = Assert.IsType<TimeoutException>(Serializer.Deserialize<Exception>(Serializer.SerializeToArray<Exception>(sent)));
        Assert.Contains("nothing was acknowledged", received.Message, StringComparison.Ordinal);
        Assert.Null(ClusterFailures.Unsendable(new InvalidOperationException("not a cluster failure")));
        Assert.Null(ClusterFailures.Unsendable(new TimeoutException("already sendable")));
    }
}
