using System.Text.Json;
using DriverOffers.Server.Data;
using DriverOffers.Server.Features.Presence;
using DriverOffers.Server.Realtime;
using DriverOffers.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace DriverOffers.Tests.Realtime.ScaleOut;

/// <summary>Presence counted in Redis: a person is online while any connection on any server is open, and each flip is announced once.</summary>
public sealed class ScaleOutPresenceTests(ScaleOutFixture site) : IClassFixture<ScaleOutFixture>
{
    private static IPresence PresenceOf(ServerFixture server) => server.Services.GetRequiredService<IPresence>();

    private static Func<JsonElement, bool> PresenceOf(int truck, bool? online = null) => e =>
        e.GetProperty("user_type").GetString() == "driver" && e.GetProperty("user_id").GetInt32() == truck &&
        (online is null || e.GetProperty("is_online").GetBoolean() == online);

    [Fact]
    public async Task The_truck_list_of_one_server_shows_a_driver_connected_to_the_other_as_online()
    {
        var trucks = site.A.AddTestTrucks(2);
        using var carlOnB = await site.B.LoginAs("carl.banks");
        var onA = await site.A.ConnectDriver(trucks[0]);
        await HubKit.Eventually(() => PresenceOf(site.B).IsOnline("driver", trucks[0]));

        var list = (await (await carlOnB.GetAsync("/api/drivers")).Body()).GetProperty("drivers").EnumerateArray().ToList();
        var connected = list.Single(d => d.GetProperty("id").GetInt32() == trucks[0]);
        Assert.True(connected.GetProperty("is_online").GetBoolean());
        Assert.Equal(JsonValueKind.String, connected.GetProperty("last_seen").ValueKind);
        Assert.False(list.Single(d => d.GetProperty("id").GetInt32() == trucks[1]).GetProperty("is_online").GetBoolean());
        await onA.DisposeAsync();
    }

    [Fact]
    public async Task A_driver_connected_to_both_servers_stays_online_until_the_last_connection_closes_then_goes_offline_once()
    {
        var truck = site.A.AddTestTrucks(1)[0];
        site.A.SeedOffer(HubKit.Carl, truck);
        await using var carlOnA = await site.A.ConnectDispatcher("carl.banks");
        await using var carlOnB = await site.B.ConnectDispatcher("carl.banks");
        var onA = await site.A.ConnectDriver(truck);
        var onB = await site.B.ConnectDriver(truck);

        await carlOnA.Events.WaitFor("presence_changed", PresenceOf(truck, online: true));
        await carlOnB.Events.WaitFor("presence_changed", PresenceOf(truck, online: true));
        Assert.True(PresenceOf(site.A).IsOnline("driver", truck));
        Assert.True(PresenceOf(site.B).IsOnline("driver", truck));

        await onA.DisposeAsync();
        await HubKit.Settle();
        Assert.True(PresenceOf(site.A).IsOnline("driver", truck));
        Assert.True(PresenceOf(site.B).IsOnline("driver", truck));
        foreach (var carl in new[] { carlOnA, carlOnB })
        {
            Assert.Single(carl.Events.All("presence_changed", PresenceOf(truck)));
        }

        await onB.DisposeAsync();
        await carlOnA.Events.WaitFor("presence_changed", PresenceOf(truck, online: false));
        await carlOnB.Events.WaitFor("presence_changed", PresenceOf(truck, online: false));
        await HubKit.Settle();
        foreach (var carl in new[] { carlOnA, carlOnB })
        {
            Assert.Single(carl.Events.All("presence_changed", PresenceOf(truck, online: false)));
        }
        Assert.False(PresenceOf(site.A).IsOnline("driver", truck));
        Assert.False(PresenceOf(site.B).IsOnline("driver", truck));
        Assert.NotNull(PresenceOf(site.A).LastSeen("driver", truck));
        Assert.Equal(PresenceOf(site.A).LastSeen("driver", truck), PresenceOf(site.B).LastSeen("driver", truck));
        var sessions = site.A.Scoped(db => db.SocketSessions.Where(s => s.UserType == "driver" && s.UserId == truck).ToList());
        Assert.Equal(2, sessions.Count);
        Assert.All(sessions, s => Assert.False(s.IsOnline));
    }

    [Fact]
    public async Task Servers_racing_to_connect_and_disconnect_one_person_announce_each_flip_exactly_once()
    {
        var truck = site.A.AddTestTrucks(1)[0];
        site.A.SeedOffer(HubKit.Carl, truck);
        await using var carl = await site.A.ConnectDispatcher("carl.banks");

        var tabs = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => (i % 2 == 0 ? site.A : site.B).ConnectDriver(truck)));
        await carl.Events.WaitFor("presence_changed", PresenceOf(truck, online: true));
        await Task.WhenAll(tabs.Select(t => t.DisposeAsync().AsTask()));
        await carl.Events.WaitFor("presence_changed", PresenceOf(truck, online: false));
        await HubKit.Settle();

        Assert.Single(carl.Events.All("presence_changed", PresenceOf(truck, online: true)));
        Assert.Single(carl.Events.All("presence_changed", PresenceOf(truck, online: false)));
        Assert.False(PresenceOf(site.B).IsOnline("driver", truck));
    }

    [Fact]
    public async Task A_server_that_dies_leaves_no_one_online_once_its_connections_miss_their_heartbeats()
    {
        var truck = site.A.AddTestTrucks(1)[0];
        site.A.SeedOffer(HubKit.Carl, truck);
        await using var carl = await site.A.ConnectDispatcher("carl.banks");
        // A third server that counts one connection in Redis, opens its session row, then dies without a word.
        using (var deadRedis = new ScaleOutRedis(new ScaleOutOptions { ConnectionString = site.Redis.ConnectionString, ChannelPrefix = site.Prefix }))
        {
            // Its deadline is 4 s: long enough for the check below on a busy machine (1 s was missed under load),
            // short enough that the 5 s sweep finds it gone well inside the 20 s wait.
            await DeadServerPresence(deadRedis, timeoutSeconds: 4).Connected(new Person("driver", truck), "dead-server-connection", DateTime.UtcNow);
        }
        Assert.True(PresenceOf(site.B).IsOnline("driver", truck));
        site.A.Scoped(db =>
        {
            db.SocketSessions.Add(SocketSession.Open(truck, "driver", "dead-server-connection", DateTime.UtcNow));
            return db.SaveChanges();
        });

        // The sweep runs every 5 s with the default 60 s timeout; the dead connection's own deadline was 4 s.
        await carl.Events.WaitFor("presence_changed", PresenceOf(truck, online: false), seconds: 20);
        await HubKit.Settle();

        Assert.Single(carl.Events.All("presence_changed", PresenceOf(truck, online: false)));
        Assert.False(PresenceOf(site.A).IsOnline("driver", truck));
        Assert.False(PresenceOf(site.B).IsOnline("driver", truck));
        await HubKit.Eventually(() => site.A.Scoped(db => !db.SocketSessions.Any(s => s.SocketId == "dead-server-connection" && s.IsOnline)));
    }

    [Fact]
    public async Task A_server_starting_keeps_the_live_sessions_of_the_others_and_closes_only_silent_ones()
    {
        var trucks = site.A.AddTestTrucks(2);
        await using var live = await site.A.ConnectDriver(trucks[0]);
        var longAgo = DateTime.UtcNow.AddHours(-1);
        site.A.Scoped(db =>
        {
            db.SocketSessions.Add(SocketSession.Open(trucks[1], "driver", "silent-connection", longAgo));
            return db.SaveChanges();
        });

        await site.B.Services.PrepareDatabaseAsync();

        Assert.True(site.A.Scoped(db => db.SocketSessions.Any(s => s.UserId == trucks[0] && s.UserType == "driver" && s.IsOnline)));
        Assert.False(site.A.Scoped(db => db.SocketSessions.Any(s => s.SocketId == "silent-connection" && s.IsOnline)));
        Assert.True(PresenceOf(site.B).IsOnline("driver", trucks[0]));
    }

    private static RedisPresence DeadServerPresence(ScaleOutRedis redis, double timeoutSeconds) => new(
        redis,
        TimeProvider.System,
        Options.Create(new PresenceOptions { TimeoutSeconds = timeoutSeconds }),
        NullLogger<RedisPresence>.Instance);
}
