namespace RealName.Gateway.Hosting;

/// <summary>
/// The gateway may start before any silo: keep retrying the cluster connection (the health endpoint
/// reports NOT_SERVING meanwhile) instead of dying at start-up.
/// </summary>
public sealed partial class ClusterConnectionRetry(ILogger<ClusterConnectionRetry> logger) : IClientConnectionRetryFilter
{
    private int attempt;

    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        attempt++;
        LogRetry(logger, attempt, exception.Message);
        await Task.Delay(TimeSpan.FromSeconds(Math.Min(5, attempt)), cancellationToken);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cluster connection attempt {Attempt} failed: {Reason}; retrying")]
    private static partial void LogRetry(ILogger logger, int attempt, string reason);
}
