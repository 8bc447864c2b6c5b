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

    /// <summary>Statements Npgsql prepares per connection when the connection string does not say (Max Auto Prepare).</summary>
    public const int AutoPreparedStatements = 64;

    /// <summary>
    /// The grid's connection string as its pools use it: connections go back to the pool without <c>DISCARD ALL</c>
    /// (No Reset On Close; the grid keeps no session state on them: no SET, temporary table or session lock), and the
    /// statements a connection runs often are prepared once and stay prepared (Max Auto Prepare), unless the string
    /// sets either. Before this, every pooled use of a connection cost PostgreSQL one more statement.
    /// </summary>
    public static string Pooled(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var set = connectionString.Split(';').Select(part => part.Split('=')[0].Trim().Replace(" ", "", StringComparison.Ordinal)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (!set.Contains(nameof(builder.NoResetOnClose)))
        {
            builder.NoResetOnClose = true;
        }

        if (!set.Contains(nameof(builder.MaxAutoPrepare)))
        {
            builder.MaxAutoPrepare = AutoPreparedStatements;
        }

        return builder.ConnectionString;
    }
}
