namespace RealName.IntegrationTests.Infrastructure;

/// <summary>Polls a condition that another process makes true, with a deadline instead of a fixed sleep.</summary>
internal static class Eventually
{
    public static async Task<T> Get<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
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
