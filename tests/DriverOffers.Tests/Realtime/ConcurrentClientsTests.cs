using System.Text.Json;
using DriverOffers.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace DriverOffers.Tests.Realtime;

public sealed class ConcurrentClientsTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Two_dispatchers_and_five_drivers_acting_at_once_end_with_every_client_showing_the_database_state()
    {
        var drivers = server.AddTestTrucks(5);
        using var carlApi = await server.LoginAs("carl.banks");
        using var leoApi = await server.LoginAs("leo.durand");
        var carlOffer = await carlApi.CreateOffer(drivers);
        var leoOffer = await leoApi.CreateOffer(drivers);
        int[] offers = [carlOffer, leoOffer];
        await using var carl = await server.ConnectDispatcher("carl.banks");
        await using var leo = await server.ConnectDispatcher("leo.durand");
        var driverClients = new List<Client>();
        foreach (var d in drivers)
        {
            driverClients.Add(await server.ConnectDriver(d));
        }
        var lastMessageBefore = server.Scoped(db => db.ChatMessages.Max(m => m.Id));

        var work = new List<Task>();
        for (var i = 0; i < drivers.Length; i++)
        {
            var (client, id, n) = (driverClients[i], drivers[i], i);
            work.Add(Task.Run(async () =>
            {
                foreach (var offer in offers)
                {
                    await Try(client.Hub.InvokeAsync<JsonElement>("send_message", new { offer_id = offer, driver_id = id, message = $"hi from {id}", client_message_id = $"{offer}-{id}-1" }));
                    await Try(client.Hub.InvokeAsync<JsonElement>("driver_proposal", new { offer_id = offer, action = "view" }));
                    await Try(client.Hub.InvokeAsync<JsonElement>("driver_proposal", new { offer_id = offer, action = "counter", rate = 1600 + 10 * n }));
                    if (n % 2 == 0)
                    {
                        await Try(client.Hub.InvokeAsync<JsonElement>("driver_proposal", new { offer_id = offer, action = "accept" }));
                    }
                    await Try(client.Hub.InvokeAsync<JsonElement>("send_message", new { offer_id = offer, driver_id = id, message = "still here", client_message_id = $"{offer}-{id}-2" }));
                }
            }));
        }
        foreach (var (dispatcher, offer) in new[] { (carl, carlOffer), (leo, leoOffer) })
        {
            work.Add(Task.Run(async () =>
            {
                foreach (var id in drivers)
                {
                    await Try(dispatcher.Hub.InvokeAsync<JsonElement>("send_message", new { offer_id = offer, driver_id = id, message = "rate?", client_message_id = $"d-{offer}-{id}" }));
                    await Try(dispatcher.Hub.InvokeAsync<JsonElement>("driver_proposal", new { offer_id = offer, driver_id = id, action = "counter", rate = 1550 }));
                }
                foreach (var id in drivers)
                {
                    await Try(dispatcher.Hub.InvokeAsync<JsonElement>("offer_status_change", new { offer_id = offer, status = "completed", driver_id = id }));
                }
            }));
        }
        await Task.WhenAll(work);

        List<string> problems = [];
        try
        {
            await HubKit.Eventually(() => (problems = Differences(carlApi, leoApi, carl, leo, driverClients, drivers, offers, lastMessageBefore).Result).Count == 0, 45);
        }
        catch (TimeoutException)
        {
            Assert.Fail(string.Join("\n", problems));
        }
        foreach (var c in driverClients)
        {
            await c.DisposeAsync();
        }
    }

    private static async Task Try(Task<JsonElement> call)
    {
        try
        {
            await call;
        }
        catch (HubException)
        {
            // Lost races (booked, rate limits) are part of the scenario; the end state is what is checked.
        }
    }

    private async Task<List<string>> Differences(HttpClient carlApi, HttpClient leoApi, Client carl, Client leo, List<Client> driverClients,
        int[] drivers, int[] offers, long lastMessageBefore)
    {
        var problems = new List<string>();
        var viewers = new List<(string Who, Client Client, HttpClient Api, int[] Offers)>
        {
            ("carl", carl, carlApi, [offers[0]]),
            ("leo", leo, leoApi, [offers[1]]),
        };
        for (var i = 0; i < drivers.Length; i++)
        {
            viewers.Add(($"driver {drivers[i]}", driverClients[i], server.Client(driverClients[i].Token), offers));
        }
        foreach (var (who, client, api, visible) in viewers)
        {
            foreach (var offer in visible)
            {
                var truth = await (await api.GetAsync($"/api/offers/{offer}")).Body();
                var events = client.Events.All("offer_created", EventLog.Offer(offer)).Concat(client.Events.All("offer_updated", EventLog.Offer(offer)))
                    .OrderBy(e => e.GetProperty("version").GetInt32()).ToList();
                var last = events.Count > 0 ? events[^1] : default;
                // my_proposal is not compared here: a driver's "view" changes only the proposal (proposal_updated, checked
                // below), not the offer's version, so an offer event rendered just before it legitimately carries the older one.
                foreach (var field in new[] { "status", "version", "booked_driver_id", "load_taken", "counters" })
                {
                    var shown = last.ValueKind == JsonValueKind.Undefined ? "(none)" : Strip(last.GetProperty(field));
                    if (shown != Strip(truth.GetProperty(field)))
                    {
                        problems.Add($"{who}, offer {offer}, {field}: shows {shown}, database says {Strip(truth.GetProperty(field))}");
                    }
                }
                var proposals = who.StartsWith("driver", StringComparison.Ordinal)
                    ? [truth.GetProperty("my_proposal")]
                    : (await (await api.GetAsync($"/api/offers/{offer}/proposals")).Body()).EnumerateArray().ToList();
                foreach (var p in proposals)
                {
                    var seen = client.Events.All("proposal_updated", e => e.GetProperty("id").GetInt32() == p.GetProperty("id").GetInt32());
                    var shown = seen.Count > 0 ? Strip(seen[^1], "unread_count", "driver") : "(none)";
                    if (shown != Strip(p, "unread_count", "driver"))
                    {
                        problems.Add($"{who}, proposal {p.GetProperty("id")}: shows {shown}, database says {Strip(p, "unread_count", "driver")}");
                    }
                }
            }
            var messageIds = server.Scoped(db => db.ChatMessages
                .Where(m => m.Id > lastMessageBefore && offers.Contains(m.OfferId))
                .Select(m => new { m.Id, m.OfferId, m.DriverId }).ToList())
                .Where(m => visible.Contains(m.OfferId) && (!who.StartsWith("driver", StringComparison.Ordinal) || who.EndsWith($" {m.DriverId}", StringComparison.Ordinal)))
                .Select(m => m.Id).Order().ToList();
            var received = client.Events.All("new_message").Select(m => m.GetProperty("id").GetInt64()).Where(id => id > lastMessageBefore).Order().ToList();
            if (!received.SequenceEqual(messageIds))
            {
                problems.Add($"{who}: received messages [{string.Join(",", received)}], database has [{string.Join(",", messageIds)}]");
            }
        }
        return problems;
    }

    /// <summary>The JSON text without fields that legitimately differ between an event and a later read (unread counts
    /// move with messages, which clients track from new_message / message_read).</summary>
    private static string Strip(JsonElement e, params string[] skip)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            return e.GetRawText();
        }
        var fields = e.EnumerateObject().Where(p => !skip.Contains(p.Name) && p.Name != "unread_count")
            .Select(p => $"{p.Name}:{Strip(p.Value, skip)}");
        return "{" + string.Join(",", fields) + "}";
    }
}
