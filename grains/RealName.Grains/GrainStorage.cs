namespace RealName.Grains;

/// <summary>Names shared by the grains and the silo's storage configuration.</summary>
public static class GrainStorage
{
    /// <summary>The grain storage provider every grain of the grid persists to.</summary>
    public const string Name = "realname";
}
