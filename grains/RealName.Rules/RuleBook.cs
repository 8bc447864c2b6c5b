namespace RealName.Rules;

/// <summary>Marker for the rule book assembly (architecture tests find it through this type).</summary>
public static class RuleBook
{
}
