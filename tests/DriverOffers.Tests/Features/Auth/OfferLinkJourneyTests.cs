using System.Net;
using System.Text.Json;
using DriverOffers.Tests.Infrastructure;
using static DriverOffers.Tests.Infrastructure.DriverData;

namespace DriverOffers.Tests.Features.Auth;

/// <summary>From "Carl sends an offer" to a driver inside it, through the real routes: no rows written by hand.</summary>
public sealed class OfferLinkJourneyTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private async Task<(int OfferId, JsonElement[] Outbox)> CarlSendsAnOffer(HttpClient carl, params int[] driverIds)
    {
        var created = await carl.Post("/api/offers", new
        {
            pickup_location = "Rockford, IL", delivery_location = "Dallas, TX", proposed_rate = 2100m, distance_miles = 940m,
            weight_lbs = 12000m, driver_ids = driverIds,
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var offerId = (await created.Body()).GetProperty("id").GetInt32();
        var outbox = (await (await carl.GetAsync($"/api/outbox?offer_id={offerId}")).Body()).EnumerateArray().ToArray();
        return (offerId, outbox);
    }

    private static string CodeOf(JsonElement entry) => entry.GetProperty("link").GetString()!.Split("/driver/link/")[1];

    [Fact]
    public async Task The_outbox_shows_each_drivers_link_and_the_link_opens_that_drivers_offer()
    {
        using var carl = await server.LoginAs("carl.banks");
        var (offerId, outbox) = await CarlSendsAnOffer(carl, Nwee, Rodney);

        Assert.Equal(2, outbox.Length);
        var nwees = Assert.Single(outbox, e => e.GetProperty("truck_id").GetInt32() == Nwee);
        Assert.Equal("sms", nwees.GetProperty("channel").GetString());
        Assert.Equal("manual", nwees.GetProperty("delivery").GetString());
        Assert.Contains("/driver/link/", nwees.GetProperty("body").GetString(), StringComparison.Ordinal);

        using var anon = server.Client();
        var exchanged = await (await anon.Post("/api/driver/auth/exchange", new { code = CodeOf(nwees) })).Body();
        Assert.Equal(offerId, exchanged.GetProperty("offer_id").GetInt32());
        using var nwee = server.Client(exchanged.GetProperty("access_token").GetString());
        var offer = await nwee.GetAsync($"/api/offers/{offerId}");
        Assert.Equal(HttpStatusCode.OK, offer.StatusCode);
        Assert.Equal(Nwee, (await offer.Body()).GetProperty("my_proposal").GetProperty("driver_id").GetInt32());
    }

    [Fact]
    public async Task A_drivers_link_opens_nothing_of_another_truck_or_another_offer()
    {
        using var carl = await server.LoginAs("carl.banks");
        var (offerId, outbox) = await CarlSendsAnOffer(carl, Nwee, Rodney);
        var (rodneyOnlyOffer, _) = await CarlSendsAnOffer(carl, Rodney);
        using var anon = server.Client();
        var token = (await (await anon.Post("/api/driver/auth/exchange",
            new { code = CodeOf(outbox.Single(e => e.GetProperty("truck_id").GetInt32() == Nwee)) })).Body()).GetProperty("access_token").GetString();
        using var nwee = server.Client(token);

        Assert.Equal(HttpStatusCode.NotFound, (await nwee.GetAsync($"/api/offers/{offerId}/chat/{Rodney}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await nwee.GetAsync($"/api/offers/{rodneyOnlyOffer}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await nwee.GetAsync($"/api/offers/{rodneyOnlyOffer}/chat/{Nwee}")).StatusCode);
        var mine = (await (await nwee.GetAsync("/api/offers")).Body()).EnumerateArray().Select(o => o.GetProperty("id").GetInt32()).ToList();
        Assert.Contains(offerId, mine);
        Assert.DoesNotContain(rodneyOnlyOffer, mine);
        Assert.Equal(HttpStatusCode.Forbidden, (await nwee.GetAsync("/api/outbox")).StatusCode);
    }

    [Fact]
    public async Task Opening_the_link_a_second_time_is_refused_and_says_to_sign_in_by_phone()
    {
        using var carl = await server.LoginAs("carl.banks");
        var (_, outbox) = await CarlSendsAnOffer(carl, Nwee);
        using var anon = server.Client();
        Assert.Equal(HttpStatusCode.OK, (await anon.Post("/api/driver/auth/exchange", new { code = CodeOf(outbox[0]) })).StatusCode);

        var again = await anon.Post("/api/driver/auth/exchange", new { code = CodeOf(outbox[0]) });

        Assert.Equal(HttpStatusCode.Unauthorized, again.StatusCode);
        Assert.Contains("phone", (await again.Body()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
