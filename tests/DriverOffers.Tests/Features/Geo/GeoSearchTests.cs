using System.Net;
using DriverOffers.Tests.Infrastructure;

namespace DriverOffers.Tests.Features.Geo;

public sealed class GeoSearchTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Dispatcher_autocompletes_a_city()
    {
        using var carl = await server.LoginAs("carl.banks");
        var response = await carl.GetAsync("/api/geo/search?q=rockf");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var first = (await response.Body()).GetProperty("results")[0];
        Assert.Equal("Rockford, IL", first.GetProperty("label").GetString());
        Assert.Equal("Rockford", first.GetProperty("city").GetString());
        Assert.Equal("IL", first.GetProperty("state").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, first.GetProperty("zip").ValueKind);
        Assert.Equal(42.27, first.GetProperty("lat").GetDouble(), 2);
        Assert.Equal(-89.09, first.GetProperty("lon").GetDouble(), 2);
    }

    [Fact]
    public async Task Zip_code_search_returns_the_zip()
    {
        using var carl = await server.LoginAs("carl.banks");
        var results = (await (await carl.GetAsync("/api/geo/search?q=37167")).Body()).GetProperty("results");
        Assert.Equal(1, results.GetArrayLength());
        Assert.Equal("37167", results[0].GetProperty("zip").GetString());
        Assert.Equal("Smyrna, TN 37167", results[0].GetProperty("label").GetString());
    }

    [Fact]
    public async Task Limit_defaults_to_ten_and_is_honoured_up_to_25()
    {
        using var carl = await server.LoginAs("carl.banks");
        Assert.Equal(10, (await (await carl.GetAsync("/api/geo/search?q=a")).Body()).GetProperty("results").GetArrayLength());
        Assert.Equal(25, (await (await carl.GetAsync("/api/geo/search?q=a&limit=25")).Body()).GetProperty("results").GetArrayLength());
    }

    [Theory]
    [InlineData("/api/geo/search", "q")]
    [InlineData("/api/geo/search?q=%20%20", "q")]
    [InlineData("/api/geo/search?q=rock&limit=26", "limit")]
    [InlineData("/api/geo/search?q=rock&limit=0", "limit")]
    [InlineData("/api/geo/search?q=rock&limit=ten", "limit")]
    public async Task Bad_input_is_a_400_naming_the_field(string url, string field)
    {
        using var carl = await server.LoginAs("carl.banks");
        var response = await carl.GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal([field], await response.ErrorFields());
    }

    [Fact]
    public async Task Query_over_100_characters_is_refused()
    {
        using var carl = await server.LoginAs("carl.banks");
        var response = await carl.GetAsync("/api/geo/search?q=" + new string('a', 101));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["q"], await response.ErrorFields());
    }

    [Fact]
    public async Task Search_needs_a_token()
    {
        using var anonymous = server.Client();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/geo/search?q=rock")).StatusCode);
    }
}
