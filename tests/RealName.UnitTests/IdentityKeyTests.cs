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
