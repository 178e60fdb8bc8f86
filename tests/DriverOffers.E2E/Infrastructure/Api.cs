using System.Net.Http.Json;
using System.Text.Json;
using DriverOffers.Server.Common;

namespace DriverOffers.E2E.Infrastructure;

/// <summary>The REST calls the tests make for the side that has no browser yet (the driver).</summary>
public static class Api
{
    public static async Task<JsonElement> Post(this HttpClient client, string url, object body)
    {
        var response = await client.PostAsJsonAsync(url, body, ApiJson.Options);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {url} → {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<JsonElement> Put(this HttpClient client, string url, object body)
    {
        var response = await client.PutAsJsonAsync(url, body, ApiJson.Options);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"PUT {url} → {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<JsonElement> Get(this HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {url} → {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Carl's offer to the given trucks, as the create modal would send it; returns (offer id, links by truck).</summary>
    public static async Task<(int OfferId, Dictionary<int, string> Links)> CreateOffer(this HttpClient carl, params int[] driverIds)
    {
        var offer = await carl.Post("/api/offers", new
        {
            pickup_location = "Rockford, IL", pickup_lat = 42.2711, pickup_lon = -89.094,
            delivery_location = "Dallas, TX", delivery_lat = 32.7767, delivery_lon = -96.797,
            weight_lbs = 38000, dimensions = "53' dry van", proposed_rate = 2500, notes = "Team E2E", driver_ids = driverIds,
        });
        return Created(offer);
    }

    /// <summary>Carl's offer from a place whose name has no room to break (an address pasted from an e-mail), with
    /// <paramref name="notes"/>: what must wrap instead of widening the page.</summary>
    public static async Task<(int OfferId, Dictionary<int, string> Links)> CreateOfferFromUnbrokenPlace(this HttpClient carl, int driverId,
        string? notes = null) =>
        Created(await carl.Post("/api/offers", new
        {
            pickup_location = "Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch-Industrial-Park-Building-7, Springfield, IL",
            pickup_lat = 39.78, pickup_lon = -89.65, delivery_location = "Dallas, TX", delivery_lat = 32.7767, delivery_lon = -96.797,
            proposed_rate = 2100, notes, driver_ids = new[] { driverId },
        }));

    private static (int OfferId, Dictionary<int, string> Links) Created(JsonElement offer) =>
        (offer.GetProperty("id").GetInt32(), offer.GetProperty("drivers").EnumerateArray()
            .ToDictionary(d => d.GetProperty("driver_id").GetInt32(), d => d.GetProperty("link").GetString()!));
}
