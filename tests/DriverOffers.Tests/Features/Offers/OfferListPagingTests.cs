using System.Net;
using DriverOffers.Tests.Infrastructure;

namespace DriverOffers.Tests.Features.Offers;

/// <summary>Older offers are reachable: by the last id seen, or by offset or page number (decision 118).</summary>
public sealed class OfferListPagingTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Before_id_offset_and_page_each_give_the_next_older_offers()
    {
        using var carl = await server.LoginAs("carl.banks");
        var tag = Guid.NewGuid().ToString("N")[..8];
        var ids = new List<int>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await carl.CreateOffer(b => b["notes"] = $"paging {tag}")).Id());
        }
        ids.Reverse();

        async Task<int[]> List(string query) =>
            (await (await carl.GetAsync($"/api/offers?q={tag}&limit=2&{query}")).Body()).EnumerateArray().Select(o => o.Id()).ToArray();

        Assert.Equal(ids[..2], await List(""));
        Assert.Equal(ids[2..4], await List($"before_id={ids[1]}"));
        Assert.Equal(ids[2..4], await List("offset=2"));
        Assert.Equal(ids[2..4], await List("page=2"));
        Assert.Equal(ids[4..], await List("page=3"));
        Assert.Empty(await List("page=4"));
    }

    [Fact]
    public async Task A_paging_value_out_of_range_or_page_with_offset_is_a_400_naming_the_field()
    {
        using var carl = await server.LoginAs("carl.banks");
        foreach (var (query, field) in new[] { ("before_id=0", "before_id"), ("offset=-1", "offset"), ("page=0", "page"), ("page=x", "page"), ("page=2&offset=4", "page") })
        {
            var response = await carl.GetAsync($"/api/offers?{query}");
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal([field], await response.ErrorFields());
        }
    }
}
