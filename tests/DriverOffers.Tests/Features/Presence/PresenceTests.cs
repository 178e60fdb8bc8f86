using DriverOffers.Server.Data;
using DriverOffers.Server.Features.Presence;
using DriverOffers.Tests.Realtime;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DriverOffers.Tests.Features.Presence;

/// <summary>Presence with the real hub; the clock is moved by hand and the timeout is 2 s (FakeClockServerFixture).</summary>
public sealed class PresenceTests(FakeClockServerFixture server) : IClassFixture<FakeClockServerFixture>
{
    private IPresence Presence => server.Services.GetRequiredService<IPresence>();

    [Fact]
    public async Task A_driver_with_two_tabs_stays_online_until_the_last_one_closes()
    {
        // A truck of its own: a connection another test of this server closed could still announce 107 going offline.
        var truck = server.AddTestTrucks(1)[0];
        server.SeedOffer(HubKit.Carl, truck);
        await using var carl = await server.ConnectDispatcher("carl.banks");
        var tab1 = await server.ConnectDriver(truck);
        var tab2 = await server.ConnectDriver(truck);

        var online = await carl.Events.WaitFor("presence_changed", e => e.GetProperty("user_id").GetInt32() == truck);
        Assert.Equal("driver", online.GetProperty("user_type").GetString());
        Assert.True(online.GetProperty("is_online").GetBoolean());
        Assert.True(Presence.IsOnline("driver", truck));

        await tab1.DisposeAsync();
        await HubKit.Settle();
        Assert.True(Presence.IsOnline("driver", truck));
        Assert.Single(carl.Events.All("presence_changed", e => e.GetProperty("user_id").GetInt32() == truck));

        await tab2.DisposeAsync();
        var offline = await carl.Events.WaitFor("presence_changed", e => e.GetProperty("user_id").GetInt32() == truck && !e.GetProperty("is_online").GetBoolean());
        Assert.False(Presence.IsOnline("driver", truck));
        Assert.NotNull(Presence.LastSeen("driver", truck));
        Assert.True(offline.GetProperty("last_seen").GetDateTime() > DateTime.MinValue);
        var sessions = server.Scoped(db => db.SocketSessions.Where(s => s.UserType == "driver" && s.UserId == truck).ToList());
        Assert.True(sessions.Count >= 2);
        Assert.All(sessions, s => Assert.False(s.IsOnline));
    }

    [Fact]
    public async Task Connections_closed_as_soon_as_they_open_leave_their_sessions_closed_and_the_driver_offline()
    {
        var truck = server.AddTestTrucks(1)[0];
        // A connect's session row is committed in the background; the disconnect must still come after it.
        for (var i = 0; i < 20; i++)
        {
            var tab = await server.ConnectDriver(truck);
            await tab.DisposeAsync();
        }
        await HubKit.Eventually(() => !Presence.IsOnline("driver", truck) &&
            server.Scoped(db => db.SocketSessions.Count(s => s.UserType == "driver" && s.UserId == truck)) >= 20);
        await HubKit.Settle();
        var sessions = server.Scoped(db => db.SocketSessions.Where(s => s.UserType == "driver" && s.UserId == truck).ToList());
        Assert.All(sessions, s => Assert.False(s.IsOnline));
        Assert.False(Presence.IsOnline("driver", truck));
    }

    [Fact]
    public async Task Silence_past_the_timeout_is_offline_and_a_heartbeat_brings_the_person_back()
    {
        var truck = server.AddTestTrucks(1)[0];
        server.SeedOffer(HubKit.Carl, truck);
        await using var carl = await server.ConnectDispatcher("carl.banks");
        await using var driver = await server.ConnectDriver(truck);
        await carl.Events.WaitFor("presence_changed", e => e.GetProperty("user_id").GetInt32() == truck);

        server.Clock.Advance(TimeSpan.FromSeconds(1.5));
        var beat = await driver.Hub.InvokeAsync<System.Text.Json.JsonElement>("heartbeat", new { });
        Assert.Equal(2, beat.GetProperty("timeout_seconds").GetDouble());
        server.Clock.Advance(TimeSpan.FromSeconds(1.5));
        await HubKit.Settle();
        Assert.True(Presence.IsOnline("driver", truck));

        server.Clock.Advance(TimeSpan.FromSeconds(1));
        await carl.Events.WaitFor("presence_changed", e => e.GetProperty("user_id").GetInt32() == truck && !e.GetProperty("is_online").GetBoolean());
        Assert.False(Presence.IsOnline("driver", truck));
        Assert.False(server.Scoped(db => db.SocketSessions.Any(s => s.UserType == "driver" && s.UserId == truck && s.IsOnline)));

        carl.Events.Clear();
        await driver.Hub.InvokeAsync<System.Text.Json.JsonElement>("heartbeat", new { });
        await carl.Events.WaitFor("presence_changed", e => e.GetProperty("user_id").GetInt32() == truck && e.GetProperty("is_online").GetBoolean());
        Assert.True(server.Scoped(db => db.SocketSessions.Any(s => s.UserType == "driver" && s.UserId == truck && s.IsOnline)));
    }

    [Fact]
    public async Task Heartbeat_keeps_last_seen_in_socket_sessions()
    {
        var truck = server.AddTestTrucks(1)[0];
        await using var driver = await server.ConnectDriver(truck);
        await HubKit.Eventually(() => server.Services.GetRequiredService<IPresence>().IsOnline("driver", truck));
        var before = server.Scoped(db => db.SocketSessions.Where(s => s.UserType == "driver" && s.UserId == truck).OrderByDescending(s => s.Id).First().LastSeen);
        server.Clock.Advance(TimeSpan.FromSeconds(1));
        await driver.Hub.InvokeAsync<System.Text.Json.JsonElement>("heartbeat", new { });
        var after = server.Scoped(db => db.SocketSessions.Where(s => s.UserType == "driver" && s.UserId == truck).OrderByDescending(s => s.Id).First().LastSeen);
        Assert.Equal(TimeSpan.FromSeconds(1), after - before);
    }

    [Fact]
    public async Task Presence_goes_only_to_those_who_can_see_the_person()
    {
        var trucks = server.AddTestTrucks(2);
        var (invited, notInvited) = (trucks[0], trucks[1]);
        var offer = server.SeedOffer(HubKit.Leo, invited);
        await using var leo = await server.ConnectDispatcher("leo.durand");
        await using var admin = await server.ConnectDispatcher("vladyslav");
        await using var carl = await server.ConnectDispatcher("carl.banks");
        await using var otherDriver = await server.ConnectDriver(notInvited);
        await using var driver = await server.ConnectDriver(invited);

        await leo.Events.WaitFor("presence_changed", e => e.GetProperty("user_id").GetInt32() == invited);
        await admin.Events.WaitFor("presence_changed", e => e.GetProperty("user_id").GetInt32() == invited);
        await HubKit.Settle();
        Assert.Empty(carl.Events.All("presence_changed", e => e.GetProperty("user_id").GetInt32() == invited));
        Assert.Empty(otherDriver.Events.All("presence_changed", e => e.GetProperty("user_id").GetInt32() == invited));

        // A dispatcher's presence goes to the drivers of their offers only.
        await using var leoAgain = await server.ConnectDispatcher("leo.durand");
        await leo.DisposeAsync();
        await leoAgain.DisposeAsync();
        await driver.Events.WaitFor("presence_changed", e => e.GetProperty("user_type").GetString() == "dispatcher" && e.GetProperty("user_id").GetInt32() == HubKit.Leo);
        await HubKit.Settle();
        Assert.Empty(otherDriver.Events.All("presence_changed", e => e.GetProperty("user_id").GetInt32() == HubKit.Leo));
        Assert.True(offer > 0);
    }

    [Fact]
    public async Task A_restart_leaves_no_one_online()
    {
        await using var driver = await server.ConnectDriver(107);
        await HubKit.Eventually(() => server.Scoped(db => db.SocketSessions.Any(s => s.UserId == 107 && s.IsOnline)));

        await server.Services.PrepareDatabaseAsync();

        Assert.False(server.Scoped(db => db.SocketSessions.Any(s => s.IsOnline)));
    }
}
