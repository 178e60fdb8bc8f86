using System.Net;
using System.Text.Json;
using DriverOffers.Server.Features.Auth;
using DriverOffers.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DriverOffers.Tests.Features.Drivers;

public sealed class DriversRoutesTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static JsonElement[] Drivers(JsonElement body) => [.. body.GetProperty("drivers").EnumerateArray()];

    private async Task<JsonElement[]> Get(string url)
    {
        using var carl = await server.LoginAs("carl.banks");
        var response = await carl.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Drivers(await response.Body());
    }

    [Fact]
    public async Task Truck_table_lists_every_truck_including_inactive_ones()
    {
        var all = await Get("/api/drivers");
        var inDb = server.Scoped(db => db.Trucks.Count());
        Assert.Equal(inDb, all.Length);
        Assert.Contains(all, d => !d.GetProperty("is_active").GetBoolean());
        var truck107 = all.Single(d => d.GetProperty("id").GetInt32() == 107);
        Assert.Equal("Nwee Ler", truck107.GetProperty("driver_name").GetString());
        Assert.Equal("(779) 513-2475", truck107.GetProperty("cell_phone").GetString());
        Assert.Equal("Rockford, IL", truck107.GetProperty("city_state_zip").GetString());
        Assert.Equal(18, truck107.GetProperty("assigned_dispatcher_id").GetInt32());
        Assert.False(truck107.GetProperty("location_resolved").GetBoolean());
        Assert.Equal(JsonValueKind.Null, truck107.GetProperty("distance_miles").ValueKind);
    }

    [Fact]
    public async Task Truck_table_filters_by_status_activity_and_text()
    {
        var onLoad = await Get("/api/drivers?status=on%20load");
        Assert.NotEmpty(onLoad);
        Assert.All(onLoad, d => Assert.Equal("On Load", d.GetProperty("status").GetString()));

        var inactive = await Get("/api/drivers?active=false");
        Assert.NotEmpty(inactive);
        Assert.All(inactive, d => Assert.False(d.GetProperty("is_active").GetBoolean()));

        Assert.Equal([122], (await Get("/api/drivers?q=hebert")).Select(d => d.GetProperty("id").GetInt32()));
        Assert.Equal([122], (await Get("/api/drivers?q=615%20930%204098")).Select(d => d.GetProperty("id").GetInt32()));
    }

    [Fact]
    public async Task Available_lists_only_active_trucks_with_status_available()
    {
        var available = await Get("/api/drivers/available");
        Assert.Contains(available, d => d.GetProperty("id").GetInt32() == 107);
        Assert.All(available, d =>
        {
            Assert.True(d.GetProperty("is_active").GetBoolean());
            Assert.Equal("Available", d.GetProperty("status").GetString());
        });
        var expected = server.Scoped(db => db.Trucks.Count(t => t.IsActive && t.Status == "Available"));
        Assert.Equal(expected, available.Length);
    }

    [Fact]
    public async Task By_location_sorts_by_road_distance_from_the_point()
    {
        // Around Rockford, IL: truck 107 is there; truck 122 is in Smyrna, TN, 455.8 great-circle miles × 1.17 away.
        var near = await Get("/api/drivers/by-location?lat=42.2711&lon=-89.0940&radius_miles=600");
        Assert.Equal(107, near[0].GetProperty("id").GetInt32());
        Assert.Equal(0, near[0].GetProperty("distance_miles").GetDouble());
        var miles = near.Select(d => d.GetProperty("distance_miles").GetDouble()).ToArray();
        Assert.Equal(miles.Order(), miles);
        Assert.All(miles, m => Assert.InRange(m, 0, 600));
        var smyrna = near.Single(d => d.GetProperty("id").GetInt32() == 122);
        Assert.Equal(455.8 * 1.17, smyrna.GetProperty("distance_miles").GetDouble(), 0);
        Assert.All(near, d => Assert.True(d.GetProperty("is_active").GetBoolean()));
    }

    [Fact]
    public async Task By_location_leaves_out_trucks_beyond_the_radius()
    {
        var near = await Get("/api/drivers/by-location?lat=42.2711&lon=-89.0940&radius_miles=500");
        Assert.DoesNotContain(near, d => d.GetProperty("id").GetInt32() == 122);
        Assert.Contains(near, d => d.GetProperty("id").GetInt32() == 107);
    }

    [Fact]
    public async Task By_location_can_keep_only_one_status()
    {
        var available = await Get("/api/drivers/by-location?lat=39.5&lon=-98.35&radius_miles=3000&status=available");
        Assert.NotEmpty(available);
        Assert.All(available, d => Assert.Equal("Available", d.GetProperty("status").GetString()));
        var all = await Get("/api/drivers/by-location?lat=39.5&lon=-98.35&radius_miles=3000");
        Assert.True(all.Length > available.Length);
    }

    [Fact]
    public async Task By_ids_returns_the_trucks_asked_for_in_order_and_names_missing_ones()
    {
        using var carl = await server.LoginAs("carl.banks");
        var body = await (await carl.GetAsync("/api/drivers/by-ids?ids=122,107,999999,120,107")).Body();
        Assert.Equal([122, 107, 120], Drivers(body).Select(d => d.GetProperty("id").GetInt32()));
        Assert.Equal([999999], body.GetProperty("missing_ids").EnumerateArray().Select(e => e.GetInt32()));
    }

    [Fact]
    public async Task By_id_returns_one_truck_and_404_for_an_unknown_one()
    {
        using var carl = await server.LoginAs("carl.banks");
        var truck = await (await carl.GetAsync("/api/drivers/120")).Body();
        Assert.Equal("Rodney Bowles", truck.GetProperty("driver_name").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await carl.GetAsync("/api/drivers/999999")).StatusCode);
    }

    [Fact]
    public async Task Truck_with_only_city_state_zip_gets_coordinates_from_the_gazetteer()
    {
        // As the legacy app writes it: no latitude/longitude, just the text.
        server.ExecuteLegacySql(
            "INSERT INTO [Trucks] ([ID], [TruckNumber], [Status], [DriverName], [CityStateZip], [isActive], [updated_at]) VALUES (9001, '9001', 'Available', 'Test Driver', 'Smyrna, TN 37167', TRUE, '2020-01-01 00:00:00')");
        using var carl = await server.LoginAs("carl.banks");
        var truck = await (await carl.GetAsync("/api/drivers/9001")).Body();
        Assert.True(truck.GetProperty("location_resolved").GetBoolean());
        Assert.Equal(35.97, truck.GetProperty("latitude").GetDouble(), 2);
        Assert.Equal(-86.50, truck.GetProperty("longitude").GetDouble(), 2);

        // And it is found by distance like any other truck.
        var near = Drivers(await (await carl.GetAsync("/api/drivers/by-location?lat=35.98&lon=-86.52&radius_miles=5")).Body());
        Assert.Contains(near, d => d.GetProperty("id").GetInt32() == 9001);
    }

    [Theory]
    [InlineData("/api/drivers/by-location?lon=-89", "lat")]
    [InlineData("/api/drivers/by-location?lat=91&lon=-89", "lat")]
    [InlineData("/api/drivers/by-location?lat=north&lon=-89", "lat")]
    [InlineData("/api/drivers/by-location?lat=42&lon=-181", "lon")]
    [InlineData("/api/drivers/by-location?lat=42", "lon")]
    [InlineData("/api/drivers/by-location?lat=42&lon=-89&radius_miles=0", "radius_miles")]
    [InlineData("/api/drivers/by-location?lat=42&lon=-89&radius_miles=3001", "radius_miles")]
    [InlineData("/api/drivers/by-location?lat=42&lon=-89&radius_miles=NaN", "radius_miles")]
    [InlineData("/api/drivers/by-location?lat=42&lon=-89&radius=25", "radius")]
    [InlineData("/api/drivers/by-ids", "ids")]
    [InlineData("/api/drivers/by-ids?ids=1,two", "ids")]
    [InlineData("/api/drivers/by-ids?ids=-5", "ids")]
    [InlineData("/api/drivers/by-ids?ids=,,", "ids")]
    [InlineData("/api/drivers/by-ids?ids=1,,2", "ids")]
    [InlineData("/api/drivers/by-ids?ids=107,", "ids")]
    [InlineData("/api/drivers?active=maybe", "active")]
    public async Task Bad_input_is_a_400_naming_the_field(string url, string field)
    {
        using var carl = await server.LoginAs("carl.banks");
        var response = await carl.GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal([field], await response.ErrorFields());
    }

    [Theory]
    [InlineData("lon=-89", "lat", "lat is required: a number from -90 to 90 (latitude).")]
    [InlineData("lat=north&lon=-89", "lat", "lat must be a number from -90 to 90 (latitude).")]
    [InlineData("lat=42", "lon", "lon is required: a number from -180 to 180 (longitude).")]
    [InlineData("lat=42&lon=-89&radius_miles=far", "radius_miles", "radius_miles must be a number of miles greater than 0 and at most 3000 (default 250).")]
    public async Task A_missing_or_garbled_position_is_told_the_range_it_must_be_in(string query, string field, string message)
    {
        using var carl = await server.LoginAs("carl.banks");
        var response = await carl.GetAsync($"/api/drivers/by-location?{query}");
        Assert.Equal((field, message), await response.SingleError());
    }

    [Fact]
    public async Task By_location_refuses_a_bare_radius_and_names_radius_miles_instead_of_searching_the_default_radius()
    {
        using var carl = await server.LoginAs("carl.banks");
        var response = await carl.GetAsync("/api/drivers/by-location?lat=42.2711&lon=-89.0940&radius=25");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Body()).GetProperty("errors");
        Assert.Equal("Unknown parameter radius; use radius_miles (miles, greater than 0 and at most 3000; default 250).",
            Assert.Single(errors.GetProperty("radius").EnumerateArray()).GetString());

        // Beside radius_miles it is left alone: radius_miles is the radius.
        var both = await Get("/api/drivers/by-location?lat=42.2711&lon=-89.0940&radius=5000&radius_miles=500");
        var pinned = await Get("/api/drivers/by-location?lat=42.2711&lon=-89.0940&radius_miles=500");
        Assert.NotEmpty(pinned);
        Assert.Equal(pinned.Select(d => d.GetProperty("id").GetInt32()), both.Select(d => d.GetProperty("id").GetInt32()));
    }

    [Fact]
    public async Task More_than_500_ids_are_refused()
    {
        using var carl = await server.LoginAs("carl.banks");
        var ids = string.Join(',', Enumerable.Range(1, 501));
        var response = await carl.GetAsync($"/api/drivers/by-ids?ids={ids}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["ids"], await response.ErrorFields());
    }

    [Theory]
    [InlineData("/api/drivers")]
    [InlineData("/api/drivers/available")]
    [InlineData("/api/drivers/by-location?lat=42&lon=-89&radius_miles=100")]
    [InlineData("/api/drivers/by-ids?ids=107,120")]
    [InlineData("/api/drivers/120")]
    [InlineData("/api/drivers/107")]
    [InlineData("/api/drivers/999999")]
    public async Task Driver_cannot_use_dispatcher_routes_whatever_the_truck(string url)
    {
        var token = server.Services.GetRequiredService<TokenService>().ForDriver(107, "Nwee Ler").Token;
        using var driver = server.Client(token);
        Assert.Equal(HttpStatusCode.Forbidden, (await driver.GetAsync(url)).StatusCode);
    }

    [Fact]
    public async Task Drivers_routes_need_a_token()
    {
        using var anonymous = server.Client();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/drivers")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/drivers/107")).StatusCode);
    }
}
