namespace RealName.IntegrationTests.Infrastructure;

/// <summary>One real grid per test collection: a fresh database, a silo process and the gateway on loopback.</summary>
public class GridFixture : IAsyncLifetime, IAsyncDisposable
{
    private readonly IReadOnlyDictionary<string, string>? siloSettingsOverride;
    private TestDatabase? database;
    private SiloProcess? silo;
    private GatewayServer? gateway;

    public GridFixture()
    {
    }

    private GridFixture(IReadOnlyDictionary<string, string> siloSettings) => siloSettingsOverride = siloSettings;

    /// <summary>A grid of its own for one test (e.g. one it kills), with exactly these silo settings.</summary>
    public static async Task<GridFixture> StartAsync(IReadOnlyDictionary<string, string>? siloSettings = null)
    {
        var grid = new GridFixture(siloSettings ?? new Dictionary<string, string>());
        try
        {
            await grid.InitializeAsync();
        }
        catch
        {
            // A grid that failed to start (e.g. its gateway could not bind) must not leave its silo process behind.
            await grid.DisposeAsync();
            throw;
        }

        return grid;
    }

    public TestDatabase Database => database ?? throw new InvalidOperationException("not started");

    /// <summary>The Orleans cluster id, for a second gateway on the same grid.</summary>
    public string ClusterId { get; private set; } = "";

    public SiloProcess Silo => silo ?? throw new InvalidOperationException("not started");

    public GatewayServer Gateway => gateway ?? throw new InvalidOperationException("not started");

    /// <summary>
    /// Silo settings (configuration keys with ':'). Re-review deadlines are seconds long so a missed
    /// deadline is observed without long sleeps; an identity with 3 numbers counts as holding many cards; the
    /// test liveness SDK's public key is trusted.
    /// </summary>
    protected virtual IReadOnlyDictionary<string, string> SiloSettings => new Dictionary<string, string>(LivenessSdk.SiloSettings)
    {
        ["ReReview:Deadline"] = "00:00:05",
        ["Cluster:Reminders:MinimumReminderPeriod"] = "00:00:01",
        ["Rules:ManyCardsThreshold"] = "3",
    };

    /// <summary>Extra gateway settings.</summary>
    protected virtual IReadOnlyDictionary<string, string?> GatewaySettings => new Dictionary<string, string?>();

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync();
        var clusterId = ClusterId = "grid-" + Guid.NewGuid().ToString("N")[..8];
        silo = new SiloProcess(database, clusterId, siloSettingsOverride ?? SiloSettings);
        await silo.StartAsync();
        gateway = await GatewayServer.StartAsync(database, clusterId, GatewaySettings);
    }

    async ValueTask IAsyncDisposable.DisposeAsync()
    {
        await DisposeAsync();
        GC.SuppressFinalize(this);
    }

    public async Task DisposeAsync()
    {
        if (gateway is not null)
        {
            await gateway.DisposeAsync();
        }

        if (silo is not null)
        {
            await silo.DisposeAsync();
        }

        if (database is not null)
        {
            await database.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class GridCollection : ICollectionFixture<GridFixture>
{
    public const string Name = "grid";
}
