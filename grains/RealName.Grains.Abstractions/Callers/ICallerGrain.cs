using RealName.Grains.Subscribers;

namespace RealName.Grains.Callers;

/// <summary>
/// One caller of the gateway (grain key: the caller's name): the only writer of its row in the callers
/// table, recording every change in the audit log (CALLER_ISSUED, CALLER_REVOKED,
/// CALLER_CERTIFICATE_ATTACHED) with the acting caller from <see cref="CallerContext"/>. The key itself
/// never reaches the grain: the gateway generates it and hands over its SHA-256.
/// Each method returns null when done (a repeat of the same change is done too), else why not.
/// </summary>
[Alias("realname.callers.ICallerGrain")]
public interface ICallerGrain : IGrainWithStringKey
{
    /// <summary>Issues the caller (<paramref name="definition"/>.Name must be this grain's key). CALLER_NAME_TAKEN, INVALID_CALLER.</summary>
    [Alias("Issue")]
    Task<Refusal?> Issue(CallerDefinition definition, byte[] keyHash);

    /// <summary>Revokes the caller (again: done, unchanged). CALLER_NOT_FOUND.</summary>
    [Alias("Revoke")]
    Task<Refusal?> Revoke();

    /// <summary>Maps a client certificate (SHA-256 thumbprint, upper-case hex) to the caller. CALLER_NOT_FOUND, CALLER_ALREADY_REVOKED, CERTIFICATE_TAKEN.</summary>
    [Alias("AttachCertificate")]
    Task<Refusal?> AttachCertificate(string thumbprint);
}
