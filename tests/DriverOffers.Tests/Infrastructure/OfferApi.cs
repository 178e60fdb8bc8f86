using System.Net;
using System.Text.Json;
using DriverOffers.Server.Data;
using DriverOffers.Server.Features.Auth;
using DriverOffers.Server.Features.Drivers;
using Microsoft.Extensions.DependencyInjection;

namespace DriverOffers.Tests.Infrastructure;

/// <summary>Shortcuts for offer scenarios: create, send, drivers with tokens, extra trucks.</summary>
public static class OfferApi
{
    private static int _nextTruckId = 50_000;

    /// <summary>A valid create-offer body; override fields with <paramref name="change"/>.</summary>
    public static Dictionary<string, object?> NewOffer(Action<Dictionary<string, object?>>? change = null)
    {
        var body = new Dictionary<string, object?>
        {
            ["pickup_location"] = "Rockford, IL",
            ["pickup_lat"] = 42.2711,
            ["pickup_lon"] = -89.0940,
            ["delivery_location"] = "Smyrna, TN 37167",
            ["delivery_lat"] = 35.9828,
            ["delivery_lon"] = -86.5186,
            ["pickup_window_start"] = DateTime.UtcNow.AddDays(1),
            ["pickup_window_end"] = DateTime.UtcNow.AddDays(1).AddHours(4),
            ["delivery_window_start"] = DateTime.UtcNow.AddDays(2),
            ["delivery_window_end"] = DateTime.UtcNow.AddDays(2).AddHours(4),
            ["weight_lbs"] = 12000,
            ["dimensions"] = "48x40x60",
            ["proposed_rate"] = 1500,
            ["notes"] = "Dock 4, call ahead",
        };
        change?.Invoke(body);
        return body;
    }

    public static async Task<JsonElement> CreateOffer(this HttpClient dispatcher, Action<Dictionary<string, object?>>? change = null)
    {
        var response = await dispatcher.Post("/api/offers", NewOffer(change));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Body();
    }

    public static async Task<JsonElement> SendTo(this HttpClient dispatcher, int offerId, params int[] driverIds)
    {
        var response = await dispatcher.Post($"/api/offers/{offerId}/send-to-drivers", new { driver_ids = driverIds });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Body();
    }

    /// <summary>A client signed in as the driver of <paramref name="truckId"/> (token minted directly; the link
    /// exchange has its own tests).</summary>
    public static HttpClient Driver(this ServerFixture server, int truckId)
    {
        var tokens = server.Services.GetRequiredService<TokenService>();
        return server.Client(tokens.ForDriver(truckId, $"Driver {truckId}").Token);
    }

    /// <summary>Adds active (or inactive) trucks with fresh IDs and returns the IDs.</summary>
    public static int[] AddTrucks(this ServerFixture server, int count, bool active = true)
    {
        var ids = Enumerable.Range(0, count).Select(_ => Interlocked.Increment(ref _nextTruckId)).ToArray();
        using var scope = server.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        foreach (var id in ids)
        {
            db.Trucks.Add(new Truck(id, $"T{id}", "Available", $"Driver {id}", $"(555) 010-{id % 10000:D4}", "Chicago, IL",
                "53' Dry Van", "2.00", null, 41.88m, -87.63m, 18, active, DateTime.UtcNow));
        }
        db.SaveChanges();
        return ids;
    }

    /// <summary>The proposal id of <paramref name="driverId"/> on an offer, as the dispatcher sees it.</summary>
    public static async Task<int> ProposalId(this HttpClient dispatcher, int offerId, int driverId)
    {
        var list = await (await dispatcher.GetAsync($"/api/offers/{offerId}/proposals")).Body();
        return list.EnumerateArray().Single(p => p.GetProperty("driver_id").GetInt32() == driverId).GetProperty("id").GetInt32();
    }

    public static Task<HttpResponseMessage> Respond(this HttpClient client, int proposalId, string action, decimal? rate = null) =>
        client.Put($"/api/proposals/{proposalId}/respond", rate is null ? new { action } : new { action, rate });

    public static async Task<JsonElement[]> Chat(this HttpClient client, int offerId, int driverId, string query = "")
    {
        var response = await client.GetAsync($"/api/offers/{offerId}/chat/{driverId}{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Body()).EnumerateArray().ToArray();
    }

    /// <summary>Asserts two refusals are indistinguishable: same status, same body apart from the per-request trace_id.</summary>
    public static async Task AssertSameRefusal(HttpResponseMessage expected, HttpResponseMessage actual)
    {
        Assert.Equal(expected.StatusCode, actual.StatusCode);
        Assert.Equal(await Normalized(expected), await Normalized(actual));
    }

    private static async Task<string> Normalized(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }
        var node = System.Text.Json.Nodes.JsonNode.Parse(text)!.AsObject();
        node.Remove("trace_id");
        node.Remove("traceId");
        return node.ToJsonString();
    }

    public static int Id(this JsonElement e) => e.GetProperty("id").GetInt32();

    public static string Str(this JsonElement e, string name) => e.GetProperty(name).GetString()!;
}
