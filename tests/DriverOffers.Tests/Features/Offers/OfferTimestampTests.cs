using System.Net;
using DriverOffers.Tests.Infrastructure;

namespace DriverOffers.Tests.Features.Offers;

/// <summary>A time without an offset means a different instant on servers in different time zones, so it is refused.</summary>
public sealed class OfferTimestampTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Theory]
    [InlineData("pickup_window_start", "2030-11-26T08:00:00")]
    [InlineData("delivery_window_end", "2030-11-27T12:00")]
    [InlineData("expires_at", "2030-11-26")]
    public async Task A_time_without_an_offset_is_refused_naming_the_field_and_nothing_is_stored(string field, string value)
    {
        using var carl = await server.LoginAs("carl.banks");
        var before = server.Scoped(db => db.Offers.Count());

        var response = await carl.Post("/api/offers", OfferApi.NewOffer(b => b[field] = value));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var (named, message) = await response.SingleError();
        Assert.Equal(field, named);
        Assert.Contains("offset or Z", message, StringComparison.Ordinal);
        Assert.Equal(before, server.Scoped(db => db.Offers.Count()));
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
}
