namespace RealName.Grains;

/// <summary>
/// The grid refused work because it is at capacity (the face engines' wait queue is full). Nothing was
/// recorded or changed; the client retries later with the same idempotency key. The gateway answers
/// RESOURCE_EXHAUSTED with reason GRID_BUSY.
/// </summary>
[Alias("RealName.Grains.GridBusyException")]
[GenerateSerializer]
public sealed class GridBusyException : Exception
{
    public GridBusyException()
    {
    }

    public GridBusyException(string message) : base(message)
    {
    }

    public GridBusyException(string message, Exception inner) : base(message, inner)
    {
    }
}
