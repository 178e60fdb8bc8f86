using DriverOffers.Tests.Infrastructure;

namespace DriverOffers.Tests.Features.Offers;

/// <summary>Amounts are written the same way whichever provider stored them (decision 118).</summary>
public sealed class OfferAmountsTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Whole_amounts_read_back_as_whole_numbers_as_the_create_answered_them()
    {
        using var carl = await server.LoginAs("carl.banks");
        var id = (await carl.CreateOffer(b => { b["proposed_rate"] = 1500; b["weight_lbs"] = 12000; b["distance_miles"] = 530.5; })).Id();

        var read = await (await carl.GetAsync($"/api/offers/{id}")).Content.ReadAsStringAsync();
        var listed = await (await carl.GetAsync("/api/offers?limit=1")).Content.ReadAsStringAsync();
        var edited = await (await carl.Put($"/api/offers/{id}", OfferApi.NewOffer(b => { b["proposed_rate"] = 1750; b["distance_miles"] = 530.5; }))).Content.ReadAsStringAsync();

        foreach (var text in new[] { read, listed })
        {
            Assert.Contains("\"proposed_rate\":1500,", text);
            Assert.Contains("\"weight_lbs\":12000,", text);
            Assert.Contains("\"distance_miles\":530.5,", text);
        }
        Assert.Contains("\"proposed_rate\":1750,", edited);
    }
}
