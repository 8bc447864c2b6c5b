using Npgsql;
using RealName.Storage.Reads;

namespace RealName.UnitTests;

/// <summary>The grid's pools skip DISCARD ALL and prepare nothing of their own accord, unless the operator's connection string says otherwise.</summary>
public sealed class PooledConnectionTests
{
    [Fact]
    public void A_plain_connection_string_gets_no_reset_on_close_and_no_auto_prepare()
    {
        var pooled = new NpgsqlConnectionStringBuilder(DatabaseOptions.Pooled("Host=db;Port=5432;Username=realname_grid;Password=x;Database=realname"));

        Assert.True(pooled.NoResetOnClose);
        Assert.Equal(0, pooled.MaxAutoPrepare);
        Assert.Equal("db", pooled.Host);
        Assert.Equal("x", pooled.Password);
    }

    [Theory]
    [InlineData("Host=db;No Reset On Close=false;Max Auto Prepare=16")]
    [InlineData("Host=db;NoResetOnClose=false;MaxAutoPrepare=16")]
    public void Settings_the_connection_string_gives_are_kept(string connectionString)
    {
        var pooled = new NpgsqlConnectionStringBuilder(DatabaseOptions.Pooled(connectionString));

        Assert.False(pooled.NoResetOnClose);
        Assert.Equal(16, pooled.MaxAutoPrepare);
    }
}
