using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using RealName.Grains;
using RealName.Grains.Reviews;
using RealName.Grains.Subscribers;
using RealName.IntegrationTests.Infrastructure;
using RealName.IntegrationTests.Rules;
using RealName.Rules;
using RealName.Storage;
using RealName.Storage.Sealing;

namespace RealName.IntegrationTests.Reviews;

/// <summary>
/// Pending review cases are rows of their own (schema 0101), on the grid's real ADO.NET storage: a new case does not
/// rewrite the shard's state, listing pages oldest first by creation time then case id, a retried enqueue keeps the
/// first case, a decided case's row is gone, and the row's payload is sealed (and re-sealed by a key rotation).
/// </summary>
[Collection(ReviewGridCollection.Name)]
public sealed class ReviewCaseRowsTests(ReviewGridFixture grid)
{
    private static readonly DateTimeOffset Created = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    private IClusterClient Grains => grid.Gateway.Services.GetRequiredService<IClusterClient>();

    [Fact]
    public async Task The_shard_state_does_not_grow_with_its_pending_cases()
    {
        var channel = NewChannel();
        var shard = Grains.GetGrain<IReviewShardGrain>(ReviewShards.KeyOf(channel));

        await shard.Enqueue(NewCase(channel, Created));
        var afterOne = await StateSize(channel);
        await shard.Enqueue(NewCase(channel, Created.AddSeconds(1)));
        await shard.Enqueue(NewCase(channel, Created.AddSeconds(2)));
        var afterThree = await StateSize(channel);

        Assert.True(afterOne > 0, "the shard's state row was not found");
        Assert.Equal(afterOne, afterThree);
        Assert.Equal(3, (await shard.ListPending(10, null)).Count);
        await CompleteAll(shard);
    }

    [Fact]
    public async Task Listing_pages_oldest_first_by_time_then_case_id_bytes_and_a_retried_enqueue_keeps_the_first()
    {
        var channel = NewChannel();
        var shard = Grains.GetGrain<IReviewShardGrain>(ReviewShards.KeyOf(channel));
        var key = ReviewShards.KeyOf(channel);
        // Four cases in one microsecond (one a tick later, which PostgreSQL does not keep): ordered by case id as bytes,
        // where "A" < "B" < "_" < "a" (a linguistic collation would order them otherwise).
        var inOrder = new[]
        {
            NewCase(channel, Created.AddTicks(1), key + "/A1"),
            NewCase(channel, Created, key + "/B0"),
            NewCase(channel, Created, key + "/_0"),
            NewCase(channel, Created, key + "/a0"),
            NewCase(channel, Created.AddSeconds(1), key + "/00"),
        };
        foreach (var index in new[] { 4, 2, 0, 3, 1 })
        {
            await shard.Enqueue(inOrder[index]);
        }

        await shard.Enqueue(inOrder[3] with { PhoneNumber = Requests.NewPhoneNumber() });
        var paged = new List<ReviewCase>();
        ReviewCursor? after = null;
        while (await ReviewShards.ListPending(Grains, [channel.CarrierId], 2, after) is { Count: > 0 } page)
        {
            paged.AddRange(page);
            after = ReviewCursor.Of(page[^1]);
        }

        Assert.Equal(inOrder.Select(c => c.CaseId), paged.Select(c => c.CaseId));
        Assert.Equal(inOrder[3].PhoneNumber, (await shard.Get(inOrder[3].CaseId))?.PhoneNumber);
        Assert.Equal(inOrder[0], paged[0], ReviewCaseComparer.Instance);
        Assert.Equal(5L, await grid.Database.ScalarAsync<long>("SELECT count(*) FROM review_cases WHERE shard_key = @k", ("k", key)));
        await CompleteAll(shard);
    }

    [Fact]
    public async Task A_case_row_is_sealed_and_a_decided_case_is_gone()
    {
        var channel = NewChannel();
        var shard = Grains.GetGrain<IReviewShardGrain>(ReviewShards.KeyOf(channel));
        var reviewCase = NewCase(channel, Created);

        await shard.Enqueue(reviewCase);
        var row = await grid.Database.ScalarAsync<byte[]>("SELECT sealed FROM review_cases WHERE case_id = @c", ("c", reviewCase.CaseId));
        var found = await shard.Get(reviewCase.CaseId);
        await shard.Complete(reviewCase.CaseId);
        await shard.Complete(reviewCase.CaseId);

        Assert.True(row is not null && Sealer.IsSealed(row), "the case's row is missing or not sealed");
        Assert.DoesNotContain(reviewCase.PhoneNumber, Encoding.ASCII.GetString(row), StringComparison.Ordinal);
        Assert.Equal(reviewCase.PhoneNumber, found?.PhoneNumber);
        Assert.Null(await shard.Get(reviewCase.CaseId));
        Assert.Empty(await shard.ListPending(10, null));
        Assert.Equal(0L, await grid.Database.ScalarAsync<long>("SELECT count(*) FROM review_cases WHERE case_id = @c", ("c", reviewCase.CaseId)));
    }

    [Fact]
    public async Task A_key_rotation_re_seals_the_case_rows()
    {
        await using var database = await TestDatabase.CreateAsync();
        SchemaMigrator.Migrate(database.ConnectionString, NullLogger.Instance);
        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        var ring = new DataKeyRing(dataSource, Options.Create(new SealingOptions { MasterKey = database.SealingKey }), TimeProvider.System);
        await ring.LoadAsync(CancellationToken.None);
        var store = new ReviewCaseStore(dataSource, new Sealer(ring));
        var reviewCase = NewCase(NewChannel(), Created);
        await store.AddAsync("k", reviewCase.CaseId, reviewCase.CreatedAt, ReviewCaseCodec.Encode(reviewCase));

        var rotation = new KeyRotation(dataSource, ring, new Sealer(ring));
        var result = await rotation.RotateAsync(TimeSpan.Zero, null, CancellationToken.None);
        var reopened = await store.GetAsync("k", reviewCase.CaseId);

        Assert.Equal(1L, result.ResealedByTable["review_cases"]);
        Assert.Equal(0L, await rotation.CountStaleAsync("review_cases", "sealed", result.NewKeyId, CancellationToken.None));
        Assert.Equal(reviewCase, ReviewCaseCodec.Decode(reopened!), ReviewCaseComparer.Instance);
    }

    private static ChannelFacts NewChannel() =>
        new(ChannelKind.Retail, "rows-" + Guid.NewGuid().ToString("N")[..8], "310000", "SH-ROWS", "clerk-1", "reader-1");

    private static ReviewCase NewCase(ChannelFacts channel, DateTimeOffset createdAt, string? caseId = null, string? phone = null) => new(
        caseId ?? ReviewShards.CaseId(channel, Guid.NewGuid()),
        ReviewCaseKind.Registration,
        phone ?? Requests.NewPhoneNumber(),
        CardType.Personal,
        channel,
        [new FaceSummary("customer", "REVIEW", 0.5036441402381826, "test-model", [])],
        createdAt);

    private Task<int> StateSize(ChannelFacts channel) => grid.Database.ScalarAsync<int>(
        "SELECT length(payloadbinary) FROM orleansstorage WHERE graintypestring = 'review-shard' AND grainidextensionstring = @k",
        ("k", ReviewShards.KeyOf(channel)));

    /// <summary>Leaves nothing pending for the other tests of the review grid, which list every shard.</summary>
    private static async Task CompleteAll(IReviewShardGrain shard)
    {
        foreach (var reviewCase in await shard.ListPending(1000, null))
        {
            await shard.Complete(reviewCase.CaseId);
        }
    }

    /// <summary>Cases equal field by field (records compare their lists by reference).</summary>
    private sealed class ReviewCaseComparer : IEqualityComparer<ReviewCase>
    {
        public static ReviewCaseComparer Instance { get; } = new();

        public bool Equals(ReviewCase? x, ReviewCase? y) =>
            x is not null && y is not null && Json(x) == Json(y);

        public int GetHashCode(ReviewCase obj) => Json(obj).GetHashCode(StringComparison.Ordinal);

        private static string Json(ReviewCase reviewCase) => Encoding.UTF8.GetString(ReviewCaseCodec.Encode(reviewCase));
    }
}
