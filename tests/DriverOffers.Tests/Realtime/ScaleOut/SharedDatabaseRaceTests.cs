using System.Net;
using System.Text.Json;
using DriverOffers.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace DriverOffers.Tests.Realtime.ScaleOut;

/// <summary>Two servers on the run's database (SQLite, MariaDB or PostgreSQL) and one Redis, as a scaled-out site.</summary>
public sealed class SharedDatabaseSite : IAsyncLifetime
{
    private sealed class First(string redis) : ServerFixture
    {
        private readonly string _prefix = "race-" + Guid.NewGuid().ToString("N")[..8];

        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Redis:ConnectionString"] = redis,
            ["Redis:ChannelPrefix"] = _prefix,
            ["Realtime:CallBurst"] = "100000",
        };
    }

    public RedisServer Redis { get; private set; } = null!;
    public ServerFixture A { get; private set; } = null!;
    public ServerFixture B { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Redis = await RedisServer.Start();
        A = new First(Redis.ConnectionString);
        await A.InitializeAsync();
        B = await A.StartSibling();
    }

    public async Task DisposeAsync()
    {
        if (B is not null) await B.DisposeAsync();
        if (A is not null) await A.DisposeAsync();
        if (Redis is not null) await Redis.DisposeAsync();
    }
}

/// <summary>
/// The product's first promise under the worst races we could think of, across two servers: exactly one driver is
/// ever booked (or none, when a cancel wins), and every invited driver, on either server, hears the outcome at once.
/// </summary>
public sealed class SharedDatabaseRaceTests(SharedDatabaseSite site) : IClassFixture<SharedDatabaseSite>
{
    private static readonly string[] Outcomes = ["This load was booked by another driver.", "Load booked with", "cancelled this offer."];

    [Fact]
    public async Task Accepts_on_both_servers_racing_two_bookings_a_cancel_and_an_auto_book_edit_end_in_one_outcome_every_driver_hears()
    {
        using var carl = await site.A.LoginAs("carl.banks");
        using var carlOnB = site.B.Client(ServerFixture.TokenOf(carl));
        using var vladyslavOnB = await site.B.LoginAs("vladyslav");
        var carlHub = await site.B.ConnectDispatcher("carl.banks");
        for (var round = 0; round < 3; round++)
        {
            var drivers = site.A.AddTrucks(10);
            var offer = (await carl.CreateOffer(b => b["driver_ids"] = drivers)).Id();
            var proposals = await Task.WhenAll(drivers.Select(d => carl.ProposalId(offer, d)));
            // Two drivers accepted already: the dispatchers may book either.
            foreach (var i in new[] { 0, 1 })
            {
                using var early = site.A.Driver(drivers[i]);
                Assert.Equal(HttpStatusCode.OK, (await early.Respond(proposals[i], "accept")).StatusCode);
            }
            var hubs = await Task.WhenAll(drivers.Select((d, i) => (i % 2 == 0 ? site.A : site.B).ConnectDriver(d)));
            var rest = drivers.Select((d, i) => (i % 2 == 0 ? site.B : site.A).Driver(d)).ToArray();

            var bookOnA = carl.Post($"/api/offers/{offer}/book", new { driver_id = drivers[0] });
            var bookOnB = Invoke(carlHub.Hub, "offer_status_change", new { offer_id = offer, status = "completed", driver_id = drivers[1] });
            var cancel = vladyslavOnB.DeleteAsync($"/api/offers/{offer}");
            var edit = carlOnB.Put($"/api/offers/{offer}", OfferApi.NewOffer(b => b["auto_book"] = true));
            // The others accept, half by REST, half through the hub, each on the server the other half is on.
            var accepts = Enumerable.Range(2, drivers.Length - 2).Select(i => i % 2 == 0
                ? Booked(rest[i].Respond(proposals[i], "accept"))
                : Invoke(hubs[i].Hub, "driver_proposal", new { offer_id = offer, action = "accept" })).ToArray();
            await Task.WhenAll([bookOnA, bookOnB, cancel, edit, .. accepts]);

            var final = await (await carl.GetAsync($"/api/offers/{offer}")).Body();
            var status = final.Str("status");
            Assert.Contains(status, new[] { "completed", "cancelled" });
            var bookings = ((await bookOnA).StatusCode == HttpStatusCode.OK ? 1 : 0) + ((await bookOnB).Ok ? 1 : 0)
                + accepts.Count(a => a.Result.Ok && a.Result.Booked);
            Assert.Equal(status == "completed" ? 1 : 0, bookings);
            Assert.Equal(status == "cancelled", (await cancel).StatusCode == HttpStatusCode.OK);
            var booked = status == "completed" ? final.GetProperty("booked_driver_id").GetInt32() : (int?)null;
            Assert.Equal(status == "completed" ? 1 : 0, site.A.Scoped(db => db.Offers.Count(o => o.Id == offer && o.BookedDriverId != null)));
            if (booked is { } winner)
            {
                Assert.Equal("accepted", site.A.Scoped(db => db.Proposals.Single(p => p.OfferId == offer && p.DriverId == winner)).Status);
            }

            for (var i = 0; i < drivers.Length; i++)
            {
                // Exactly one outcome line in every conversation, and every driver, on either server, told.
                var chat = await carl.Chat(offer, drivers[i], "?limit=200");
                Assert.Single(chat, m => m.Str("message_type") == "system" && Outcomes.Any(o => m.Str("message").Contains(o)));
                var told = await hubs[i].Events.WaitFor("offer_updated", e => EventLog.Offer(offer)(e) && e.Str("status") == status, seconds: 30);
                Assert.Equal(status == "completed" && booked != drivers[i], told.GetProperty("load_taken").GetBoolean());
            }
            foreach (var h in hubs) await h.DisposeAsync();
            foreach (var c in rest) c.Dispose();
        }
        await carlHub.DisposeAsync();
    }

    [Fact]
    public async Task One_client_message_id_sent_at_once_by_REST_and_the_hub_on_both_servers_is_stored_and_told_once()
    {
        using var carl = await site.A.LoginAs("carl.banks");
        using var carlOnB = site.B.Client(ServerFixture.TokenOf(carl));
        var d = site.A.AddTrucks(1)[0];
        var offer = (await carl.CreateOffer(b => b["driver_ids"] = new[] { d })).Id();
        await using var hubOnA = await site.A.ConnectDispatcher("carl.banks");
        await using var hubOnB = await site.B.ConnectDispatcher("carl.banks");
        await using var driver = await site.A.ConnectDriver(d);
        var keys = Enumerable.Range(0, 20).Select(i => $"twice-{i}-{Guid.NewGuid():N}").ToArray();

        var sends = keys.Select(async key =>
        {
            var body = new { offer_id = offer, driver_id = d, message = $"msg {key}", client_message_id = key };
            var rest = new[] { carl, carlOnB }.Select(async c =>
                (await (await c.Post($"/api/offers/{offer}/chat/{d}", new { message = body.message, client_message_id = key })).Body()).GetProperty("id").GetInt64());
            var hub = new[] { hubOnA, hubOnB }.Select(async h => (await h.Hub.InvokeAsync<JsonElement>("send_message", body)).GetProperty("id").GetInt64());
            return await Task.WhenAll(rest.Concat(hub));
        }).ToArray();
        var ids = await Task.WhenAll(sends);

        Assert.All(ids, four => Assert.Single(four.Distinct()));
        Assert.Equal(keys.Length, ids.Select(four => four[0]).Distinct().Count());
        Assert.All(keys, key => Assert.Equal(1, site.A.Scoped(db => db.ChatMessages.Count(m => m.ClientMessageId == key))));
        await driver.Events.WaitForCount("new_message", keys.Length, e => EventLog.About(offer, d)(e) && e.Str("message_type") == "text", seconds: 30);
        await HubKit.Settle();
        var told = driver.Events.All("new_message", e => EventLog.About(offer, d)(e) && e.Str("message_type") == "text").Select(e => e.GetProperty("id").GetInt64()).ToList();
        Assert.Equal(ids.Select(four => four[0]).Order(), told.Order());
    }

    private sealed record Answer(bool Ok, bool Booked);

    private static async Task<Answer> Booked(Task<HttpResponseMessage> response)
    {
        var r = await response;
        Assert.True(r.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict, $"unexpected {r.StatusCode}");
        return r.StatusCode == HttpStatusCode.OK ? new Answer(true, (await r.Body()).GetProperty("is_booked").GetBoolean()) : new Answer(false, false);
    }

    private static async Task<Answer> Invoke(HubConnection hub, string method, object request)
    {
        try
        {
            var result = await hub.InvokeAsync<JsonElement>(method, request);
            var booked = result.TryGetProperty("is_booked", out var b) ? b.GetBoolean()
                : result.TryGetProperty("status", out var s) && s.GetString() == "completed";
            return new Answer(true, booked);
        }
        catch (HubException)
        {
            return new Answer(false, false);
        }
    }
}

/// <summary>Both servers keep <c>socket_sessions</c> in one table; their writers must never fail each other's calls.</summary>
public sealed class SharedSessionTableTests(SharedDatabaseSite site) : IClassFixture<SharedDatabaseSite>
{
    [Fact]
    public async Task Drivers_connecting_and_leaving_on_both_servers_at_once_all_get_their_heartbeats_answered()
    {
        var drivers = site.A.AddTrucks(40);
        for (var round = 0; round < 8; round++)
        {
            // Connect waits for a heartbeat: a session write that lost a deadlock to the other server would fail it.
            var hubs = await Task.WhenAll(drivers.Select((d, i) => ((i + round) % 2 == 0 ? site.A : site.B).ConnectDriver(d)));
            await Task.WhenAll(hubs.Select(h => h.Hub.InvokeAsync<JsonElement>("heartbeat", new { })));
            await Task.WhenAll(hubs.Select(h => h.DisposeAsync().AsTask()));
        }
        // Every session closed as its socket left, on whichever server it was.
        await HubKit.Eventually(() => site.A.Scoped(db => db.SocketSessions.Count(s => s.IsOnline && drivers.Contains(s.UserId) && s.UserType == "driver")) == 0);
    }
}
