using RealName.Rules;
using RealName.Gateway.Services;
using RealName.Grains;
using RealName.Grains.Reviews;

namespace RealName.UnitTests;

public sealed class ReviewShardKeyTests
{
    private static ChannelFacts Channel(string carrier, string region) => new(ChannelKind.Retail, carrier, region, "SH-001", "clerk-1", "reader-1");

    [Fact]
    public void A_case_id_carries_its_carrier_and_province_shard()
    {
        var id = Guid.Parse("5d41402a-bc4b-2a76-b971-9d911017c592");

        Assert.Equal("cmcc/310000", ReviewShards.KeyOf(Channel("cmcc", "310000")));
        Assert.Equal("cmcc/310000/5d41402abc4b2a76b9719d911017c592", ReviewShards.CaseId(Channel("cmcc", "310000"), id));
        Assert.Equal("cmcc/310000", ReviewShards.KeyInCaseId("cmcc/310000/5d41402abc4b2a76b9719d911017c592"));
        Assert.Equal("cmcc/", ReviewShards.KeyInCaseId(ReviewShards.CaseId(Channel("cmcc", ""), id)));
        Assert.Equal("cmcc", ReviewShards.CarrierOf("cmcc/310000"));
    }

    [Fact]
    public void A_separator_inside_a_carrier_or_province_cannot_move_the_shard_boundary()
    {
        var key = ReviewShards.KeyOf(Channel("mvno/a", "31/00"));

        Assert.Equal("mvno%2Fa/31%2F00", key);
        Assert.Equal("mvno/a", ReviewShards.CarrierOf(key));
        Assert.Equal(key, ReviewShards.KeyInCaseId(ReviewShards.CaseId(Channel("mvno/a", "31/00"), Guid.NewGuid())));
    }

    [Fact]
    public void A_case_id_of_the_single_queue_has_no_shard()
    {
        Assert.Null(ReviewShards.KeyInCaseId("5d41402abc4b2a76b9719d911017c592"));
    }

    [Fact]
    public void A_page_token_round_trips_its_position_and_rejects_anything_else()
    {
        var cursor = new ReviewCursor(new DateTimeOffset(2026, 11, 22, 9, 15, 30, 125, TimeSpan.Zero).AddTicks(7), "cucc/440000/c0ffee00c0ffee00c0ffee00c0ffee00");

        Assert.True(ReviewPageTokens.TryParse(ReviewPageTokens.Of(cursor), out var parsed));
        Assert.Equal(cursor, parsed);
        Assert.False(ReviewPageTokens.TryParse("5d41402abc4b2a76b9719d911017c592", out _));
        Assert.False(ReviewPageTokens.TryParse("!!", out _));
    }
}
