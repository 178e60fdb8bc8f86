using System.Net;
using System.Text.Json;
using DriverOffers.Server.Data;
using DriverOffers.Server.Features.Auth;
using DriverOffers.Server.Features.Drivers;
using DriverOffers.Server.Features.Offers;
using DriverOffers.Server.Features.Proposals;
using DriverOffers.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace DriverOffers.Tests.Realtime;

/// <summary>A signed-in hub client and what it received.</summary>
public sealed record Client(string Token, HubConnection Hub, EventLog Events) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => Hub.DisposeAsync();
}

/// <summary>Demo people (DemoData): dispatchers carl.banks (18) and leo.durand (20), admin vladyslav (15);
/// trucks 107, 120 (Carl's) and 122.</summary>
public static class HubKit
{
    public const int Carl = 18;
    public const int Leo = 20;
    public const int Vladyslav = 15;

    public static async Task<string> DispatcherToken(this ServerFixture server, string username) =>
        ServerFixture.TokenOf(await server.LoginAs(username));

    /// <summary>A driver token minted by the server's own token service (the same kind the code exchange returns).</summary>
    public static string DriverToken(this ServerFixture server, int truckId) =>
        server.Services.GetRequiredService<TokenService>().ForDriver(truckId, $"Driver {truckId}").Token;

    public static async Task<Client> Connect(this ServerFixture server, string token)
    {
        var hub = await server.Hub(token);
        var events = EventLog.Attach(hub);
        // The handshake completes before the server's OnConnectedAsync; a first call returns only after it, so
        // the connection is in its groups (and online) before the test goes on.
        await hub.InvokeAsync<System.Text.Json.JsonElement>("heartbeat", new { });
        return new Client(token, hub, events);
    }

    public static async Task<Client> ConnectDispatcher(this ServerFixture server, string username) =>
        await server.Connect(await server.DispatcherToken(username));

    public static Task<Client> ConnectDriver(this ServerFixture server, int truckId) => server.Connect(server.DriverToken(truckId));

    /// <summary>An active offer by <paramref name="createdBy"/>, sent to <paramref name="drivers"/>, straight in the database.</summary>
    public static int SeedOffer(this ServerFixture server, int createdBy, params int[] drivers) => server.Scoped(db =>
    {
        var now = DateTime.UtcNow;
        var offer = Offer.Create(createdBy, new OfferDetails("Rockford, IL", 42.27, -89.09, "Chicago, IL", 41.88, -87.63,
            null, null, null, null, 12000, "48x40", 90, 1500, null), autoBook: false, expiresAt: null, now);
        db.Offers.Add(offer);
        db.SaveChanges();
        foreach (var d in drivers)
        {
            db.Proposals.Add(Proposal.Send(offer.Id, d, now));
        }
        db.SaveChanges();
        return offer.Id;
    });

    private static int _nextTruckId = 70_000;

    /// <summary>Creates an offer through REST, sent to <paramref name="drivers"/> at once; returns its id.</summary>
    public static async Task<int> CreateOffer(this HttpClient dispatcher, params int[] drivers) =>
        (await dispatcher.CreateOfferWithLinks(drivers)).GetProperty("id").GetInt32();

    /// <summary>POST /api/offers with driver_ids; the answer carries each driver's sign-in link.</summary>
    public static async Task<JsonElement> CreateOfferWithLinks(this HttpClient dispatcher, params int[] drivers)
    {
        var response = await dispatcher.Post("/api/offers", OfferBody(new Dictionary<string, object?> { ["driver_ids"] = drivers }));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Body();
    }

    public static Dictionary<string, object?> OfferBody(Dictionary<string, object?>? extra = null)
    {
        var body = new Dictionary<string, object?>
        {
            ["pickup_location"] = "Rockford, IL",
            ["pickup_lat"] = 42.2711,
            ["pickup_lon"] = -89.0940,
            ["delivery_location"] = "Smyrna, TN 37167",
            ["delivery_lat"] = 35.9828,
            ["delivery_lon"] = -86.5186,
            ["weight_lbs"] = 12000,
            ["proposed_rate"] = 1500,
        };
        foreach (var (k, v) in extra ?? [])
        {
            body[k] = v;
        }
        return body;
    }

    /// <summary>The real driver sign-in: the code at the end of the offer link, exchanged for a driver token.</summary>
    public static async Task<string> DriverTokenFromLink(this ServerFixture server, string link)
    {
        using var anonymous = server.Client();
        var response = await anonymous.Post("/api/driver/auth/exchange", new { code = link[(link.LastIndexOf('/') + 1)..] });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Body()).GetProperty("access_token").GetString()!;
    }

    public static async Task<int> ProposalIdOf(this HttpClient dispatcher, int offerId, int driverId)
    {
        var list = await (await dispatcher.GetAsync($"/api/offers/{offerId}/proposals")).Body();
        return list.EnumerateArray().Single(p => p.GetProperty("driver_id").GetInt32() == driverId).GetProperty("id").GetInt32();
    }

    /// <summary>Active trucks with fresh ids, added to the legacy table.</summary>
    public static int[] AddTestTrucks(this ServerFixture server, int count)
    {
        var ids = Enumerable.Range(0, count).Select(_ => Interlocked.Increment(ref _nextTruckId)).ToArray();
        using var scope = server.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        foreach (var id in ids)
        {
            db.Trucks.Add(new Truck(id, $"T{id}", "Available", $"Driver {id}", $"(555) 020-{id % 10000:D4}", "Chicago, IL",
                "53' Dry Van", "2.00", null, 41.88m, -87.63m, HubKit.Carl, true, DateTime.UtcNow));
        }
        db.SaveChanges();
        return ids;
    }

    /// <summary>Waits until <paramref name="condition"/> holds (server-side work that follows a call asynchronously).</summary>
    public static async Task Eventually(Func<bool> condition, double seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The condition did not hold within {seconds} s.");
            }
            await Task.Delay(20);
        }
    }

    /// <summary>Gives events already on their way time to arrive, before asserting someone got none.</summary>
    public static Task Settle() => Task.Delay(400);
}
