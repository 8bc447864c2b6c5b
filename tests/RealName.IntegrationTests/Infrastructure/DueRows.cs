using RealName.Storage;

namespace RealName.IntegrationTests.Infrastructure;

/// <summary>A number's rows in due_work (schema 0111), found the way the grid finds them: by the keyed digest of the number.</summary>
public static class DueRows
{
    public static Task<long> CountAsync(TestDatabase database, string phoneNumber, string kind) =>
        database.ScalarAsync<long>("SELECT count(*) FROM due_work WHERE key_digest = @d AND kind = @k", ("d", DigestOf(database, phoneNumber)), ("k", kind));

    public static async Task<DateTimeOffset?> DueAtAsync(TestDatabase database, string phoneNumber, string kind) =>
        await database.ScalarAsync<DateTime?>("SELECT due_at FROM due_work WHERE key_digest = @d AND kind = @k", ("d", DigestOf(database, phoneNumber)), ("k", kind)) is { } due
            ? new DateTimeOffset(DateTime.SpecifyKind(due, DateTimeKind.Utc))
            : null;

    public static Task<long> RemindersAsync(TestDatabase database, string phoneNumber) =>
        database.ScalarAsync<long>("SELECT count(*) FROM orleansreminderstable WHERE grainid = @g", ("g", "subscriber/" + phoneNumber));

    public static byte[] DigestOf(TestDatabase database, string phoneNumber) =>
        DueWorkStore.Digest(DueWorkStore.DigestKeyOf(Convert.FromBase64String(database.SealingKey)), phoneNumber);
}
