using System.Net;
using DriverOffers.Tests.Infrastructure;

namespace DriverOffers.Tests.Features.Offers;

/// <summary>A timestamp names one instant whatever the server's time zone: with an offset as given, without one as UTC.</summary>
public sealed class OfferTimestampTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Times_without_an_offset_are_read_as_UTC_whatever_the_servers_time_zone()
    {
        using var carl = await server.LoginAs("carl.banks");

        var created = await carl.Post("/api/offers", OfferApi.NewOffer(b =>
        {
            b["pickup_window_start"] = "2030-11-26T08:00:00";
            b["pickup_window_end"] = "2030-11-26T18:30";
            b["expires_at"] = "2030-11-26";
            (b["delivery_window_start"], b["delivery_window_end"]) = ("2030-11-27T08:00:00.250", "2030-11-27T12:00:00");
        }));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var offer = await created.Body();
        Assert.Equal("2030-11-26T08:00:00Z", offer.GetProperty("pickup_window_start").GetString());
        Assert.Equal("2030-11-26T18:30:00Z", offer.GetProperty("pickup_window_end").GetString());
        Assert.Equal("2030-11-26T00:00:00Z", offer.GetProperty("expires_at").GetString());
        Assert.Equal("2030-11-27T12:00:00Z", offer.GetProperty("delivery_window_end").GetString());
    }

    [Fact]
    public async Task Times_with_an_offset_or_Z_are_kept_as_the_instants_they_name()
    {
        using var carl = await server.LoginAs("carl.banks");

        var created = await carl.Post("/api/offers", OfferApi.NewOffer(b =>
        {
            b["pickup_window_start"] = "2030-11-26T08:00:00-06:00";
            b["pickup_window_end"] = "2030-11-26T18:00:00Z";
            b["expires_at"] = "2030-11-26T06:00:00+01:00";
            (b["delivery_window_start"], b["delivery_window_end"]) = ("2030-11-27T08:00:00Z", "2030-11-27T12:00:00Z");
        }));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var offer = await created.Body();
        Assert.Equal(new DateTime(2030, 11, 26, 14, 0, 0, DateTimeKind.Utc), offer.GetProperty("pickup_window_start").GetDateTime().ToUniversalTime());
        Assert.Equal(new DateTime(2030, 11, 26, 5, 0, 0, DateTimeKind.Utc), offer.GetProperty("expires_at").GetDateTime().ToUniversalTime());
    }

    [Theory]
    [InlineData("pickup_window_start", "26/11/2030 08:00")]
    [InlineData("expires_at", "tomorrow")]
    public async Task What_is_not_an_ISO_8601_time_is_refused_naming_the_field_and_nothing_is_stored(string field, string value)
    {
        using var carl = await server.LoginAs("carl.banks");
        var before = server.Scoped(db => db.Offers.Count());

        var response = await carl.Post("/api/offers", OfferApi.NewOffer(b => b[field] = value));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var (named, message) = await response.SingleError();
        Assert.Equal(field, named);
        Assert.Contains("ISO 8601", message, StringComparison.Ordinal);
        Assert.Equal(before, server.Scoped(db => db.Offers.Count()));
    }
}

/// <summary>The real process on a machine set to Central time: System.Text.Json alone would read a time without an offset
/// as 08:00 in Chicago (14:00 UTC).</summary>
public sealed class OfferTimestampTimeZoneTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("driver-offers-time-zone-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task On_a_server_set_to_Central_time_a_time_without_an_offset_is_still_UTC()
    {
        var env = new Dictionary<string, string> { ["TZ"] = "America/Chicago", ["Auth__JwtSecret"] = "time-zone-secret-time-zone-secret-0123456789" };
        await using var server = ServerProcess.StartListening(env, _dir, "--contentRoot", _dir);
        await server.WaitReadyAsync();
        using var anon = new HttpClient { BaseAddress = server.Url };
        var login = await (await anon.Post("/api/auth/login", new { username = "carl.banks", password = "demo-password" })).Body();
        using var carl = new HttpClient { BaseAddress = server.Url };
        carl.DefaultRequestHeaders.Authorization = new("Bearer", login.GetProperty("access_token").GetString());

        var created = await carl.Post("/api/offers", OfferApi.NewOffer(b =>
        {
            (b["pickup_window_start"], b["pickup_window_end"]) = ("2030-11-26T08:00:00", "2030-11-26T12:00:00");
            (b["delivery_window_start"], b["delivery_window_end"]) = ("2030-11-27T08:00:00", "2030-11-27T12:00:00");
        }));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("2030-11-26T08:00:00Z", (await created.Body()).GetProperty("pickup_window_start").GetString());
    }
}
