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

    public Task<CallerRow?> ByKeyAsync(string presentedKey, CancellationToken cancellationToken)
    {
        var hash = ApiKeys.Hash(presentedKey);
        return LookupAsync("key:" + Convert.ToHexString(hash), () => directory.FindByKeyHashAsync(hash, cancellationToken));
    }

    public Task<CallerRow?> ByThumbprintAsync(string thumbprint, CancellationToken cancellationToken) =>
        LookupAsync("certificate:" + thumbprint, () => directory.FindByThumbprintAsync(thumbprint, cancellationToken));

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
