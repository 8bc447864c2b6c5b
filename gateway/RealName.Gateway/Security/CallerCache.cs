using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using RealName.Storage.Reads;

namespace RealName.Gateway.Security;

/// <summary>
/// Authentication look-ups of valid callers by key hash or certificate thumbprint, each answer (found or
/// not) kept for <see cref="AuthOptions.CallerCacheTtl"/>: a revoked caller is refused within that time on
/// every gateway, without a restart. Changes made through this gateway clear it at once.
/// </summary>
public sealed class CallerCache(CallerDirectory directory, IOptionsMonitor<AuthOptions> options, TimeProvider clock)
{
    private const int MaxEntries = 10_000;
    private readonly ConcurrentDictionary<string, (CallerRow? Caller, DateTimeOffset Until)> entries = new(StringComparer.Ordinal);

    // The look-ups are not cancelled when the request is: a short indexed read whose answer is cached for the next
    // request anyway. A look-up cancelled mid-read once left a pooled connection out of step with the server in CI
    // (Npgsql: "Received unexpected backend message DataRow"), and the next request's look-up failed on it.
    public Task<CallerRow?> ByKeyAsync(string presentedKey)
    {
        var hash = ApiKeys.Hash(presentedKey);
        return LookupAsync("key:" + Convert.ToHexString(hash), () => directory.FindByKeyHashAsync(hash, CancellationToken.None));
    }

    public Task<CallerRow?> ByThumbprintAsync(string thumbprint) =>
        LookupAsync("certificate:" + thumbprint, () => directory.FindByThumbprintAsync(thumbprint, CancellationToken.None));

    public void Clear() => entries.Clear();

    private async Task<CallerRow?> LookupAsync(string key, Func<Task<CallerRow?>> load)
    {
        var now = clock.GetUtcNow();
        if (entries.TryGetValue(key, out var cached) && cached.Until > now)
        {
            return cached.Caller;
        }

        var caller = await load();
        if (entries.Count >= MaxEntries)
        {
            entries.Clear();
        }

        entries[key] = (caller, now + options.CurrentValue.CallerCacheTtl);
        return caller;
    }
}
