using DriverOffers.Tests.Infrastructure;
using StackExchange.Redis;

namespace DriverOffers.Tests.Realtime.ScaleOut;

/// <summary>One server process of a scaled-out site: its settings point at the shared database and Redis.</summary>
public sealed class ScaleOutServer(IDictionary<string, string?> settings) : ServerFixture
{
    /// <summary>SQLite whatever the run selects: the site's servers share the file named in the settings.</summary>
    protected override TestDbKind DatabaseKind => TestDbKind.Sqlite;

    protected override IDictionary<string, string?> Settings => settings;
}

/// <summary>
/// A real Redis and TWO real servers sharing one SQLite file (WAL), one JWT secret and that Redis, as two processes of
/// one site would: clients connect to either. The servers run in this test process but share nothing in memory.
/// </summary>
public class ScaleOutFixture : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "driver-offers-tests", "scale-out-" + Guid.NewGuid().ToString("N"));

    public RedisServer Redis { get; private set; } = null!;
    public ServerFixture A { get; private set; } = null!;
    public ServerFixture B { get; private set; } = null!;

    /// <summary>Settings a test class's fixture adds to both servers'.</summary>
    protected virtual IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>();

    /// <summary>Unique per fixture, so nothing in Redis is shared with another test class.</summary>
    public string Prefix { get; } = "test-" + Guid.NewGuid().ToString("N")[..8];

    public async Task InitializeAsync()
    {
        Redis = await RedisServer.Start();
        Directory.CreateDirectory(_dir);
        var settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = "sqlite",
            ["Database:ConnectionString"] = $"Data Source={Path.Combine(_dir, "shared.db")}",
            ["Redis:ConnectionString"] = Redis.ConnectionString,
            ["Redis:ChannelPrefix"] = Prefix,
            ["Realtime:CallBurst"] = "1000",
        };
        foreach (var (key, value) in ExtraSettings)
        {
            settings[key] = value;
        }
        A = new ScaleOutServer(settings);
        await A.InitializeAsync();
        B = new ScaleOutServer(settings);
        await B.InitializeAsync();
    }

    /// <summary>Redis stopped and started again on its port, empty, as after a Redis restart or failover.</summary>
    public async Task RestartRedis()
    {
        var port = Redis.Port;
        await Redis.DisposeAsync();
        Redis = await RedisServer.Start(port);
    }

    /// <summary>A direct Redis client, for looking at what the servers left there.</summary>
    public async Task<ConnectionMultiplexer> RedisClient() => await ConnectionMultiplexer.ConnectAsync(Redis.ConnectionString);

    public async Task DisposeAsync()
    {
        if (B is not null) await B.DisposeAsync();
        if (A is not null) await A.DisposeAsync();
        if (Redis is not null) await Redis.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
