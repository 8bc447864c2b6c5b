namespace RealName.Grains.Liveness;

/// <summary>
/// Bound from configuration section "Liveness": how online channels' liveness attestations are verified.
/// Only public keys are configured here; the channel SDKs keep the private keys.
/// </summary>
public sealed class LivenessOptions
{
    public const string Section = "Liveness";

    /// <summary>Attestations must carry a valid signature unless a provider's own setting says otherwise.</summary>
    public bool RequireSignature { get; set; } = true;

    /// <summary>An attestation signed longer ago than this is stale.</summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How far in the future a signing time may be (the SDK's clock running ahead).</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Liveness providers by name (the attestation's <c>provider</c>).</summary>
    public Dictionary<string, LivenessProviderOptions> Providers { get; set; } = [];
}

/// <summary>One liveness provider (channel SDK): its public keys and, optionally, its own signature policy.</summary>
public sealed class LivenessProviderOptions
{
    /// <summary>Overrides <see cref="LivenessOptions.RequireSignature"/> for this provider when set.</summary>
    public bool? RequireSignature { get; set; }

    /// <summary>Public keys by key id: base64 of the DER SubjectPublicKeyInfo of an ECDSA P-256 key
    /// (<c>openssl ec -pubout -outform DER | base64 -w0</c>).</summary>
    public Dictionary<string, string> Keys { get; set; } = [];
}
