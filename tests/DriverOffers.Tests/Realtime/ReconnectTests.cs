using System.Text.Json;
using DriverOffers.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace DriverOffers.Tests.Realtime;

/// <summary>The database is the guarantee: after any drop, asking for everything after the last id fills the gap exactly.</summary>
public sealed class ReconnectTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task A_driver_dropped_while_the_dispatcher_sends_twenty_messages_catches_up_each_exactly_once_in_order()
    {
        using var carlApi = await server.LoginAs("carl.banks");
        var offer = await carlApi.CreateOffer(107);
        await using var carl = await server.ConnectDispatcher("carl.banks");
        var driver = await server.ConnectDriver(107);
        var sentIds = new List<long>();

        // The drop lands somewhere in the middle of the burst; the last five wait for it, so however slow the machine
        // (a driver still receiving every message while it stops), some are sent while the driver is away.
        var dropped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var burst = Task.Run(async () =>
        {
            for (var i = 1; i <= 20; i++)
            {
                if (i == 16)
                {
                    await dropped.Task;
                }
                var m = await carl.Hub.InvokeAsync<JsonElement>("send_message",
                    new { offer_id = offer, driver_id = 107, message = $"load note {i}", client_message_id = $"burst-{offer}-{i}" });
                sentIds.Add(m.GetProperty("id").GetInt64());
                await Task.Delay(15);
            }
        });
        await driver.Events.WaitForCount("new_message", 5, e => e.GetProperty("message_type").GetString() == "text");
        await driver.Hub.StopAsync();
        dropped.SetResult();
        var live = driver.Events.All("new_message", EventLog.About(offer, 107));
        await burst;

        await using var again = await server.Connect(driver.Token);
        var have = live.Select(m => m.GetProperty("id").GetInt64()).ToList();
        var after = have.Max();
        var caughtUp = new List<long>();
        while (true)
        {
            var page = await again.Hub.InvokeAsync<JsonElement>("get_messages_after", new { offer_id = offer, driver_id = 107, after_id = after, limit = 7 });
            var ids = page.EnumerateArray().Select(m => m.GetProperty("id").GetInt64()).ToList();
            caughtUp.AddRange(ids);
            if (ids.Count < 7)
            {
                break;
            }
            after = ids[^1];
        }

        var shown = have.Concat(caughtUp).ToList();
        Assert.Equal(shown.Distinct().Count(), shown.Count);
        Assert.Equal(shown.Order(), shown);
        var expected = server.Scoped(db => db.ChatMessages.Where(m => m.OfferId == offer && m.DriverId == 107).OrderBy(m => m.Id).Select(m => m.Id).ToList());
        Assert.Equal(expected.Where(id => id >= shown[0]), shown);
        Assert.Subset(shown.ToHashSet(), sentIds.ToHashSet());
        Assert.True(caughtUp.Count > 0, "the drop should have cost some live messages");
    }

    [Fact]
    public async Task Five_messages_sent_while_the_driver_is_away_appear_once_each_over_REST_after_id()
    {
        using var carlApi = await server.LoginAs("carl.banks");
        var offer = await carlApi.CreateOffer(107);
        await using var carl = await server.ConnectDispatcher("carl.banks");
        var driver = await server.ConnectDriver(107);
        var first = await carl.Hub.InvokeAsync<JsonElement>("send_message", new { offer_id = offer, driver_id = 107, message = "before", client_message_id = $"b-{offer}" });
        await driver.Events.WaitFor("new_message", e => e.GetProperty("id").GetInt64() == first.GetProperty("id").GetInt64());
        await driver.DisposeAsync();

        var missed = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            var m = await carl.Hub.InvokeAsync<JsonElement>("send_message", new { offer_id = offer, driver_id = 107, message = $"away {i}", client_message_id = $"a-{offer}-{i}" });
            missed.Add(m.GetProperty("id").GetInt64());
        }

        await using var back = await server.Connect(driver.Token);
        using var driverApi = server.Client(driver.Token);
        var page = await (await driverApi.GetAsync($"/api/offers/{offer}/chat/107?after_id={first.GetProperty("id").GetInt64()}")).Body();
        Assert.Equal(missed, page.EnumerateArray().Select(m => m.GetProperty("id").GetInt64()));
        await HubKit.Settle();
        // Events are pushed after the ack, so the last sends may still arrive live on the new connection;
        // the client merges by id, and what it then shows must be exactly the five, once each, in order.
        var live = back.Events.All("new_message").Select(e => e.GetProperty("id").GetInt64()).ToList();
        Assert.Subset(missed.ToHashSet(), live.ToHashSet());
        var shown = page.EnumerateArray().Select(m => m.GetProperty("id").GetInt64()).Union(live).Order().ToList();
        Assert.Equal(missed, shown);
    }
}
