namespace RealName.Grains;

/// <summary>What kind of card a number is (domain rule 7 for IoT).</summary>
[Alias("RealName.Grains.CardType")]
public enum CardType
{
    /// <summary>A person's own card; counts against the per-identity limit (一证五号).</summary>
    Personal = 1,

    /// <summary>An enterprise's card held under a responsible person.</summary>
    Corporate = 2,

    /// <summary>An IoT card issued to an approved enterprise, within its quota and function limits.</summary>
    Iot = 3,
}
