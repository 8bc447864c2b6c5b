using Microsoft.Extensions.Options;
using RealName.Gateway.Identity;
using RealName.Rules;

namespace RealName.UnitTests;

/// <summary>One identity key per person: the citizen number's documents share a namespace, other kinds keep theirs.</summary>
public sealed class IdentityKeyTests
{
    private const string Number = "11010519491231002X";

    private readonly IdentityProtector protector = new(Options.Create(new IdentityOptions { HmacKey = Convert.ToBase64String(new byte[32]) }));

    [Fact]
    public void Resident_temporary_and_household_documents_of_one_citizen_number_have_one_key()
    {
        var resident = protector.IdentityKey(DocumentKind.ResidentId, Number);

        Assert.Equal(resident, protector.IdentityKey(DocumentKind.TemporaryResidentId, Number));
        Assert.Equal(resident, protector.IdentityKey(DocumentKind.HouseholdRegister, Number));
        Assert.NotEqual(resident, protector.IdentityKey(DocumentKind.ForeignPassport, Number));
        Assert.NotEqual(protector.IdentityKey(DocumentKind.ForeignPassport, Number), protector.IdentityKey(DocumentKind.MilitaryId, Number));
    }

    [Fact]
    public void Former_keys_are_the_old_temporary_and_household_namespaces_and_only_for_citizen_numbers()
    {
        var former = protector.FormerIdentityKeys(DocumentKind.ResidentId, Number);

        Assert.Equal(2, former.Count);
        Assert.DoesNotContain(protector.IdentityKey(DocumentKind.ResidentId, Number), former);
        Assert.Equal(former, protector.FormerIdentityKeys(DocumentKind.HouseholdRegister, Number));
        Assert.Empty(protector.FormerIdentityKeys(DocumentKind.ForeignPassport, Number));
    }
}

/// <summary>HMAC key versions: new keys carry their version; the older versions' keys are the document's former keys.</summary>
public sealed class IdentityKeyVersionTests
{
    private const string Number = "11010519491231002X";

    private static readonly string Version1 = Convert.ToBase64String(Enumerable.Repeat((byte)1, 32).ToArray());

    private static readonly string Version2 = Convert.ToBase64String(Enumerable.Repeat((byte)2, 32).ToArray());

    private static IdentityProtector Protector(IdentityOptions options) => new(Options.Create(options));

    [Fact]
    public void Version_1_keys_are_unchanged_and_later_versions_are_prefixed()
    {
        var legacy = Protector(new IdentityOptions { HmacKey = Version1 });
        var rotated = Protector(new IdentityOptions { HmacKey = Version1, HmacKeys = { [2] = Version2 } });

        var oldKey = legacy.IdentityKey(DocumentKind.ResidentId, Number);
        var newKey = rotated.IdentityKey(DocumentKind.ResidentId, Number);

        Assert.Equal(64, oldKey.Length);
        Assert.StartsWith("v2.", newKey);
        Assert.Equal(2, rotated.CurrentVersion);
        Assert.Contains(oldKey, rotated.FormerIdentityKeys(DocumentKind.ResidentId, Number));
        Assert.Contains(oldKey, rotated.FormerIdentityKeys(DocumentKind.HouseholdRegister, Number));
        // Version 1's old household and temporary namespaces stay former keys too: 2 per version plus version 1's main key.
        Assert.Equal(5, rotated.FormerIdentityKeys(DocumentKind.ResidentId, Number).Count);
        Assert.Equal([legacy.IdentityKey(DocumentKind.ForeignPassport, Number)], rotated.FormerIdentityKeys(DocumentKind.ForeignPassport, Number));
    }

    [Fact]
    public void The_current_version_can_stay_on_the_old_key_while_the_new_one_is_distributed()
    {
        var staged = Protector(new IdentityOptions { HmacKey = Version1, HmacKeys = { [2] = Version2 }, CurrentKeyVersion = 1 });

        Assert.Equal(Protector(new IdentityOptions { HmacKey = Version1 }).IdentityKey(DocumentKind.ResidentId, Number), staged.IdentityKey(DocumentKind.ResidentId, Number));
        Assert.DoesNotContain(staged.FormerIdentityKeys(DocumentKind.ResidentId, Number), k => k.StartsWith("v2.", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("", null, 0, "not set")]
    [InlineData("c2hvcnQ=", null, 0, "at least 32 bytes")]
    [InlineData("V1", "V2", 3, "no key configured")]
    public void Invalid_key_settings_are_refused_at_start(string hmacKey, string? version2, int current, string message)
    {
        var options = new IdentityOptions { HmacKey = hmacKey == "V1" ? Version1 : hmacKey, CurrentKeyVersion = current };
        if (version2 is not null)
        {
            options.HmacKeys[2] = Version2;
        }

        var results = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
        Assert.False(System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new(options), results, validateAllProperties: true));
        Assert.Contains(results, r => r.ErrorMessage!.Contains(message, StringComparison.Ordinal));
    }
}
