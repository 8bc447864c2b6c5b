namespace RealName.IntegrationTests.Infrastructure;

/// <summary>Polls a condition that another process makes true, with a deadline instead of a fixed sleep.</summary>
internal static class Eventually
{
    public static async Task<T> Get<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string what)
    {
        // A monotonic clock: a wall-clock step (a fresh CI machine syncing its time) must not end the wait early.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        Exception? last = null;
        while (waited.Elapsed < timeout)
        {
            try
            {
                var value = await probe();
                if (done(value))
                {
                    return value;
                }
            }
            catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
            {
                last = ex;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"{what} did not happen within {timeout.TotalSeconds:0} s", last);
    }
}
