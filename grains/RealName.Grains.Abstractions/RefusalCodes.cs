namespace RealName.Grains;

/// <summary>Machine-readable reasons the grid's rules give when they refuse (google.rpc.ErrorInfo.reason).</summary>
public static class RefusalCodes
{
    public const string NumberAlreadyRegistered = "NUMBER_ALREADY_REGISTERED";
    public const string IdempotencyKeyReused = "IDEMPOTENCY_KEY_REUSED";
}
