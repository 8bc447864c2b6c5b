namespace RealName.Rules;

/// <summary>Identity documents accepted for registration (domain rule 1).</summary>
public enum DocumentKind
{
    ResidentId = 1,
    TemporaryResidentId = 2,
    HouseholdRegister = 3,
    MilitaryId = 4,
    HongKongMacauPermit = 5,
    TaiwanPermit = 6,
    ForeignPassport = 7,
}
