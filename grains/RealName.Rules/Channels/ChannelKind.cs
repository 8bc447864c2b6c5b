namespace RealName.Rules;

/// <summary>How the customer reached us.</summary>
public enum ChannelKind
{
    Retail = 1,
    Online = 2,
}
