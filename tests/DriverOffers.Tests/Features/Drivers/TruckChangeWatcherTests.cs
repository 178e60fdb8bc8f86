using System.Text.Json;
using System.Threading.Channels;
using DriverOffers.Server.Features.Auth;
using DriverOffers.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DriverOffers.Tests.Features.Drivers;

/// <summary>The server with the truck watcher polling every 200 ms.</summary>
public sealed class FastTruckWatchServer : ServerFixture
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Trucks:PollSeconds"] = "0.2" };
}

public sealed class TruckChangeWatcherTests(FastTruckWatchServer server) : IClassFixture<FastTruckWatchServer>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private static Channel<JsonElement> Listen(HubConnection hub)
    {
        var events = Channel.CreateUnbounded<JsonElement>();
        hub.On<JsonElement>("truck_updated", e => events.Writer.TryWrite(e));
        return events;
    }

    private static async Task<JsonElement> Next(Channel<JsonElement> events, int truckId, Func<JsonElement, bool> until)
    {
        using var timeout = new CancellationTokenSource(Wait);
        while (true)
        {
            var e = await events.Reader.ReadAsync(timeout.Token);
            if (e.GetProperty("id").GetInt32() == truckId && until(e))
            {
                return e;
            }
        }
    }

    /// <summary>What the legacy PHP app does: write the row directly, stamping updated_at with the database clock.</summary>
    private void LegacyUpdate(string sql) => server.ExecuteLegacySql(sql);

    [Fact]
    public async Task Legacy_status_change_reaches_dispatchers_but_not_drivers()
    {
        using var carl = await server.LoginAs("carl.banks");
        await using var dispatcherHub = await server.Hub(ServerFixture.TokenOf(carl));
        var driverToken = server.Services.GetRequiredService<TokenService>().ForDriver(240, "Luis Mitchell").Token;
        await using var driverHub = await server.Hub(driverToken);
        var dispatcherEvents = Listen(dispatcherHub);
        var driverEvents = Listen(driverHub);

        LegacyUpdate("UPDATE [Trucks] SET [Status] = 'In Shop', [updated_at] = CURRENT_TIMESTAMP WHERE [ID] = 240");

        var update = await Next(dispatcherEvents, 240, e => e.GetProperty("status").GetString() == "In Shop");
        Assert.Equal("240", update.GetProperty("truck_number").GetString());
        Assert.True(update.GetProperty("is_active").GetBoolean());
        // Give the driver's connection every chance to receive it too: it must not.
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.False(driverEvents.Reader.TryRead(out _));
    }

    [Fact]
    public async Task Location_change_and_a_second_change_in_the_same_second_are_both_pushed()
    {
        using var leo = await server.LoginAs("leo.durand");
        await using var hub = await server.Hub(ServerFixture.TokenOf(leo));
        var events = Listen(hub);
        var second = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);

        LegacyUpdate($"UPDATE [Trucks] SET [latitude] = 35.9828, [longitude] = -86.5186, [CityStateZip] = 'Smyrna, TN', [updated_at] = '{second}' WHERE [ID] = 241");
        var moved = await Next(events, 241, e => e.GetProperty("city_state_zip").GetString() == "Smyrna, TN");
        Assert.Equal(35.9828, moved.GetProperty("latitude").GetDouble(), 4);

        // Same updated_at value (legacy timestamps have one-second resolution), different content.
        LegacyUpdate($"UPDATE [Trucks] SET [Status] = 'On Load', [updated_at] = '{second}' WHERE [ID] = 241");
        var loaded = await Next(events, 241, e => e.GetProperty("status").GetString() == "On Load");
        Assert.Equal("Smyrna, TN", loaded.GetProperty("city_state_zip").GetString());
    }

    [Fact]
    public async Task A_change_after_the_overlap_has_settled_is_still_pushed()
    {
        using var carl = await server.LoginAs("carl.banks");
        await using var hub = await server.Hub(ServerFixture.TokenOf(carl));
        var events = Listen(hub);

        LegacyUpdate("UPDATE [Trucks] SET [Status] = 'Reserved', [updated_at] = CURRENT_TIMESTAMP WHERE [ID] = 242");
        await Next(events, 242, e => e.GetProperty("status").GetString() == "Reserved");
        // Past the two-second overlap on both clocks: the watcher now reads only rows newer than the last one it saw.
        await Task.Delay(TimeSpan.FromSeconds(3));

        LegacyUpdate("UPDATE [Trucks] SET [Status] = 'Home Time', [updated_at] = CURRENT_TIMESTAMP WHERE [ID] = 242");
        var update = await Next(events, 242, e => e.GetProperty("status").GetString() == "Home Time");
        Assert.Equal("242", update.GetProperty("truck_number").GetString());
    }
}
