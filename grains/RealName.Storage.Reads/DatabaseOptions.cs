namespace RealName.Storage;

/// <summary>Where the grid's PostgreSQL database is. Bound from <c>ConnectionStrings:RealName</c>.</summary>
public sealed class DatabaseOptions
{
    public const string ConnectionStringName = "RealName";

    /// <summary>Npgsql connection string. Secrets (the password) come from configuration, never the repo.</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>Invariant name the Orleans ADO.NET providers use to find the Npgsql factory.</summary>
    public const string AdoNetInvariant = "Npgsql";
}
