using System.Collections.Immutable;
using System.Globalization;
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
/// <remarks>
/// Identity keys carry the version of the HMAC key that made them: version 1 keys are the bare hex digest (as
/// before versioning), later versions are prefixed <c>v{version}.</c>. After a rotation the keys the same document
/// had under older versions are its former keys: the identity grain under the new key adopts them when the
/// person next presents the document.
/// </remarks>
public sealed class IdentityProtector
{
    private readonly int current;
    private readonly ImmutableSortedDictionary<int, byte[]> keys;

    public IdentityProtector(IOptions<IdentityOptions> options)
    {
        var configured = options.Value;
        keys = configured.AllKeys().ToImmutableSortedDictionary(k => k.Key, k => Convert.FromBase64String(k.Value));
        current = configured.Current();
        if (!keys.ContainsKey(current))
        {
            throw new InvalidOperationException("Identity:HmacKey is not set. scripts/run-grid.sh generates one under the data folder; in production set it from your secret store.");
        }
    }

    /// <summary>The version new identity keys are made with.</summary>
    public int CurrentVersion => current;

    /// <summary>
    /// The identity key of a document: one per person. Documents that carry the citizen number (resident ID,
    /// temporary resident ID, household register) share the resident ID's namespace, so keys made for resident
    /// IDs before this rule are unchanged; every other kind keeps its own namespace.
    /// </summary>
    public string IdentityKey(DocumentKind kind, string normalizedNumber) =>
        Hmac(current, Namespace(kind), normalizedNumber);

    /// <summary>
    /// Every other key the same person's document had: under the current HMAC key, the temporary ID and household
    /// register namespaces of before the shared citizen-number namespace; under each older HMAC key version, all of
    /// the document's keys. The identity grain adopts what is held under them (numbers, faces, self-service state).
    /// </summary>
    public ImmutableList<string> FormerIdentityKeys(DocumentKind kind, string normalizedNumber)
    {
        var former = ImmutableList.CreateBuilder<string>();
        // Versions above the current one are staged for a coming rotation: nothing is held under them yet.
        foreach (var version in keys.Keys.Where(v => v < current).Prepend(current))
        {
            if (version != current)
            {
                former.Add(Hmac(version, Namespace(kind), normalizedNumber));
            }

            if (CarriesCitizenNumber(kind))
            {
                former.Add(Hmac(version, DocumentKind.TemporaryResidentId, normalizedNumber));
                former.Add(Hmac(version, DocumentKind.HouseholdRegister, normalizedNumber));
            }
        }

        return former.ToImmutable();
    }

    private static DocumentKind Namespace(DocumentKind kind) => CarriesCitizenNumber(kind) ? DocumentKind.ResidentId : kind;

    private static bool CarriesCitizenNumber(DocumentKind kind) =>
        kind is DocumentKind.ResidentId or DocumentKind.TemporaryResidentId or DocumentKind.HouseholdRegister;

    private string Hmac(int version, DocumentKind space, string normalizedNumber)
    {
        var digest = Convert.ToHexStringLower(HMACSHA256.HashData(keys[version], Encoding.UTF8.GetBytes($"{(int)space}:{normalizedNumber}")));
        return version == 1 ? digest : string.Create(CultureInfo.InvariantCulture, $"v{version}.{digest}");
    }
}
