namespace RealName.Grains;

/// <summary>Identity documents accepted for registration (domain rule 1).</summary>
[Alias("RealName.Grains.DocumentKind")]
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
