namespace RealName.Storage.Reads;

/// <summary>
/// Where the grid's PostgreSQL database is: <c>ConnectionStrings:RealName</c> (the grid's least-privilege
/// role) and <c>ConnectionStrings:RealNameOwner</c> (the tables' owner, used only to migrate the schema).
/// </summary>
public sealed class DatabaseOptions
{
    public const string ConnectionStringName = "RealName";

    public const string OwnerConnectionStringName = "RealNameOwner";

    /// <summary>Npgsql connection string. Secrets (the password) come from configuration, never the repo.</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>Invariant name the Orleans ADO.NET providers use to find the Npgsql factory.</summary>
    public const string AdoNetInvariant = "Npgsql";
}
