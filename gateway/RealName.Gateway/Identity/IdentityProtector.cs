using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using RealName.Grains;
using RealName.Rules;

namespace RealName.Gateway.Identity;

/// <summary>
/// The only code that sees a document number in clear. It derives the identity key (a keyed HMAC, so
/// keys cannot be reversed by hashing every possible number without the secret) and the masked forms
/// shown to clerks; the plain number goes no further than this process's memory.
/// </summary>
public sealed class IdentityProtector
{
    private readonly byte[] key;

    public IdentityProtector(IOptions<IdentityOptions> options)
    {
        var configured = options.Value.HmacKey;
        if (string.IsNullOrWhiteSpace(configured))
        {
            throw new InvalidOperationException("Identity:HmacKey is not set. scripts/run-grid.sh generates one under the data folder; in production set it from your secret store.");
        }

        key = Convert.FromBase64String(configured);
        if (key.Length < 32)
        {
            throw new InvalidOperationException("Identity:HmacKey must decode to at least 32 bytes.");
        }
    }

    /// <summary>
    /// The identity key of a document: one per person. Documents that carry the citizen number (resident ID,
    /// temporary resident ID, household register) share the resident ID's namespace, so keys made for resident
    /// IDs before this rule are unchanged; every other kind keeps its own namespace.
    /// </summary>
    public string IdentityKey(DocumentKind kind, string normalizedNumber) =>
        Hmac(CarriesCitizenNumber(kind) ? DocumentKind.ResidentId : kind, normalizedNumber);

    /// <summary>
    /// Keys the same citizen number had before the shared namespace (temporary ID and household register had
    /// their own). Numbers still held under them count toward the person's limit; empty for other kinds.
    /// </summary>
    public ImmutableList<string> FormerIdentityKeys(DocumentKind kind, string normalizedNumber) =>
        CarriesCitizenNumber(kind)
            ? [Hmac(DocumentKind.TemporaryResidentId, normalizedNumber), Hmac(DocumentKind.HouseholdRegister, normalizedNumber)]
            : [];

    private static bool CarriesCitizenNumber(DocumentKind kind) =>
        kind is DocumentKind.ResidentId or DocumentKind.TemporaryResidentId or DocumentKind.HouseholdRegister;

    private string Hmac(DocumentKind space, string normalizedNumber) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{(int)space}:{normalizedNumber}")));
}
