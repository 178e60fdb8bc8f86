using DriverOffers.Server.Features.Presence;
using DriverOffers.Server.Realtime;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace DriverOffers.Tests.Realtime.ScaleOut;

/// <summary>A real Redis for tests that use the presence store directly.</summary>
public sealed class RedisFixture : IAsyncLifetime
{
    public RedisServer Redis { get; private set; } = null!;

    public async Task InitializeAsync() => Redis = await RedisServer.Start();

    public async Task DisposeAsync() => await Redis.DisposeAsync();
}

/// <summary>
/// The Redis presence store on its own, with the clock in the test's hands: two store instances act as two servers
/// sharing one Redis (timeout 2 s).
/// </summary>
public sealed class RedisPresenceTests(RedisFixture redis) : IClassFixture<RedisFixture>, IDisposable
{
    private static readonly Person Driver = new("driver", 107);
    /// <summary>On a whole millisecond: Redis keeps times in Unix milliseconds.</summary>
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
    private readonly string _prefix = "unit-" + Guid.NewGuid().ToString("N")[..8];
    private readonly List<ScaleOutRedis> _connections = [];

    private DateTime Now => _clock.GetUtcNow().UtcDateTime;

    [Fact]
    public async Task Only_the_first_connection_and_the_last_disconnection_across_servers_are_flips()
    {
        var (a, b) = (Server(), Server());

        Assert.True((await a.Connected(Driver, "a1", Now))?.IsOnline);
        Assert.Null(await b.Connected(Driver, "b1", Now));
        Assert.Null(await a.Disconnected("a1", Now));
        Assert.True(b.IsOnline("driver", 107));
        Assert.True(a.IsOnline("driver", 107));

        _clock.Advance(TimeSpan.FromSeconds(1));
        var offline = await b.Disconnected("b1", Now);

        Assert.False(offline?.IsOnline);
        Assert.Equal(Now, offline?.LastSeen);
        Assert.False(a.IsOnline("driver", 107));
        Assert.Equal(Now, a.LastSeen("driver", 107));
    }

    [Fact]
    public async Task A_silent_connection_stops_counting_at_its_deadline_is_swept_once_and_a_heartbeat_revives_it()
    {
        var (a, b) = (Server(), Server());
        await a.Connected(Driver, "a1", Now);

        _clock.Advance(TimeSpan.FromSeconds(2.5));
        Assert.False(b.IsOnline("driver", 107));
        var (stale, changes) = await b.Expire(Now, TimeSpan.FromSeconds(2));
        var (staleAgain, changesAgain) = await a.Expire(Now, TimeSpan.FromSeconds(2));

        Assert.Equal(["a1"], stale);
        Assert.False(Assert.Single(changes).IsOnline);
        Assert.Empty(staleAgain);
        Assert.Empty(changesAgain);

        var back = await a.Beat("a1", Now);
        Assert.True(back?.IsOnline);
        Assert.True(b.IsOnline("driver", 107));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Empty((await b.Expire(Now, TimeSpan.FromSeconds(2))).StaleConnections);
    }

    [Fact]
    public async Task A_heartbeat_from_an_unknown_connection_changes_nothing()
    {
        var a = Server();

        Assert.Null(await a.Beat("never-connected", Now));
        Assert.Null(await a.Disconnected("never-connected", Now));
        Assert.False(a.IsOnline("driver", 107));
        Assert.Null(a.LastSeen("driver", 107));
    }

    private RedisPresence Server()
    {
        var connection = new ScaleOutRedis(new ScaleOutOptions { ConnectionString = redis.Redis.ConnectionString, ChannelPrefix = _prefix });
        _connections.Add(connection);
        var store = new RedisPresence(
            connection,
            _clock,
            Options.Create(new PresenceOptions { TimeoutSeconds = 2 }),
            NullLogger<RedisPresence>.Instance);
        return store;
    }

    public void Dispose()
    {
        foreach (var connection in _connections)
        {
            connection.Dispose();
        }
    }
}
