using Npgsql;

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

    /// <summary>
    /// The grid's connection string as its pools use it: connections go back to the pool without <c>DISCARD ALL</c>
    /// (No Reset On Close; the grid keeps no session state on them: no SET, temporary table or session lock), unless
    /// the string says otherwise. Before this, every pooled use of a connection cost PostgreSQL one more statement.
    /// </summary>
    /// <remarks>
    /// Npgsql's automatic preparation (Max Auto Prepare) stays off unless the string sets it: with Npgsql 10.0.3, once
    /// an auto-prepared statement fails on a connection (a constraint, a cancelled report query), the connection's
    /// next statements fail with "Received unexpected backend message DataRow" (npgsql#6391, open;
    /// <c>PooledConnectionTests</c> in the integration tests shows it). The gateway's credential look-up met it twice in
    /// CI, and answered UNAVAILABLE / GATEWAY_FAULT.
    /// </remarks>
    public static string Pooled(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var set = connectionString.Split(';').Select(part => part.Split('=')[0].Trim().Replace(" ", "", StringComparison.Ordinal)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (!set.Contains(nameof(builder.NoResetOnClose)))
        {
            builder.NoResetOnClose = true;
        }

        return builder.ConnectionString;
    }
}
