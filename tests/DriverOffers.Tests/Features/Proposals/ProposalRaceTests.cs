using System.Net;
using DriverOffers.Tests.Infrastructure;

namespace DriverOffers.Tests.Features.Proposals;

/// <summary>Answers of one driver racing each other (two tabs, a phone and a laptop) and the dispatcher's moves.</summary>
public sealed class ProposalRaceTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task A_driver_opening_the_offer_while_accepting_it_in_another_tab_stays_accepted_and_can_be_booked()
    {
        using var carl = await server.LoginAs("carl.banks");
        var drivers = server.AddTrucks(12);
        foreach (var d in drivers)
        {
            var offer = await carl.CreateOffer(b => b["driver_ids"] = new[] { d });
            var proposalId = await carl.ProposalId(offer.Id(), d);
            using var tab1 = server.Driver(d);
            using var tab2 = server.Driver(d);

            // The page opening sends "view"; the other tab's tap sends "accept": both answer 200.
            var views = Enumerable.Range(0, 3).Select(_ => tab1.Respond(proposalId, "view")).ToList();
            var accept = tab2.Respond(proposalId, "accept");
            await Task.WhenAll([.. views, accept]);
            Assert.Equal(HttpStatusCode.OK, (await accept).StatusCode);

            var stored = server.Scoped(db => db.Proposals.Single(p => p.Id == proposalId));
            Assert.Equal("accepted", stored.Status);
            var booked = await carl.Post($"/api/offers/{offer.Id()}/book", new { driver_id = d });
            Assert.Equal(HttpStatusCode.OK, booked.StatusCode);
        }
    }

    [Fact]
    public async Task A_driver_opening_the_offer_in_several_tabs_at_once_is_recorded_as_viewing_it_once()
    {
        using var carl = await server.LoginAs("carl.banks");
        var drivers = server.AddTrucks(4);
        foreach (var d in drivers)
        {
            var offer = await carl.CreateOffer(b => b["driver_ids"] = new[] { d });
            var proposalId = await carl.ProposalId(offer.Id(), d);
            using var driver = server.Driver(d);

            var views = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => driver.Respond(proposalId, "view")));

            Assert.All(views, v => Assert.Equal(HttpStatusCode.OK, v.StatusCode));
            var chat = await driver.Chat(offer.Id(), d);
            Assert.Single(chat, m => m.Str("message").EndsWith("viewed the offer.", StringComparison.Ordinal));
            Assert.Equal("viewed", server.Scoped(db => db.Proposals.Single(p => p.Id == proposalId)).Status);
        }
    }

    [Fact]
    public async Task On_an_auto_book_offer_views_racing_the_accepts_leave_the_booked_drivers_proposal_accepted()
    {
        using var carl = await server.LoginAs("carl.banks");
        for (var round = 0; round < 8; round++)
        {
            var drivers = server.AddTrucks(4);
            var offer = await carl.CreateOffer(b => { b["driver_ids"] = drivers; b["auto_book"] = true; });
            var ids = await Task.WhenAll(drivers.Select(d => carl.ProposalId(offer.Id(), d)));
            var clients = drivers.Select(server.Driver).ToArray();

            await Task.WhenAll(clients.Zip(ids).SelectMany(x => new[] { x.First.Respond(x.Second, "view"), x.First.Respond(x.Second, "accept"), x.First.Respond(x.Second, "view") }));

            var after = await (await carl.GetAsync($"/api/offers/{offer.Id()}")).Body();
            Assert.Equal("completed", after.Str("status"));
            var winner = after.GetProperty("booked_driver_id").GetInt32();
            Assert.Equal("accepted", server.Scoped(db => db.Proposals.Single(p => p.OfferId == offer.Id() && p.DriverId == winner)).Status);
            Assert.Equal(1, after.GetProperty("counters").GetProperty("accepted").GetInt32());
            foreach (var c in clients)
            {
                c.Dispose();
            }
        }
    }

    [Fact]
    public async Task A_driver_accepting_the_rate_they_saw_after_the_dispatcher_lowered_it_is_refused_and_nothing_is_booked()
    {
        using var carl = await server.LoginAs("carl.banks");
        var d = server.AddTrucks(1)[0];
        var offer = await carl.CreateOffer(b => { b["driver_ids"] = new[] { d }; b["auto_book"] = true; });
        var proposalId = await carl.ProposalId(offer.Id(), d);
        using var driver = server.Driver(d);
        // The driver tapped "Accept $1,500" offline; the dispatcher lowers the rate before the phone is back.
        var lowered = await carl.Put($"/api/offers/{offer.Id()}", OfferApi.NewOffer(b => { b["proposed_rate"] = 1200; b["auto_book"] = true; }));
        Assert.Equal(HttpStatusCode.OK, lowered.StatusCode);

        var stale = await driver.Respond(proposalId, "accept", 1500m);

        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        var current = (await stale.Body()).GetProperty("current");
        Assert.Equal("active", current.Str("status"));
        Assert.Equal(1200m, current.GetProperty("proposed_rate").GetDecimal());
        Assert.Equal("sent", current.GetProperty("my_proposal").Str("status"));
        var accepted = await driver.Respond(proposalId, "accept", 1200m);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.True((await accepted.Body()).GetProperty("is_booked").GetBoolean());
        Assert.Equal(1200m, server.Scoped(db => db.Offers.Single(o => o.Id == offer.Id()).BookedRate));
    }

    [Fact]
    public async Task A_dispatcher_accepting_a_counter_the_driver_has_since_raised_books_nobody()
    {
        using var carl = await server.LoginAs("carl.banks");
        var d = server.AddTrucks(1)[0];
        var offer = await carl.CreateOffer(b => b["driver_ids"] = new[] { d });
        var proposalId = await carl.ProposalId(offer.Id(), d);
        using var driver = server.Driver(d);
        Assert.Equal(HttpStatusCode.OK, (await driver.Respond(proposalId, "counter", 2000m)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await driver.Respond(proposalId, "counter", 3000m)).StatusCode);

        var stale = await carl.Respond(proposalId, "accept", 2000m);

        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Equal("active", (await stale.Body()).GetProperty("current").Str("status"));
        Assert.Equal(HttpStatusCode.OK, (await carl.Respond(proposalId, "accept", 3000m)).StatusCode);
        Assert.Equal(3000m, server.Scoped(db => db.Offers.Single(o => o.Id == offer.Id()).BookedRate));
    }

    [Fact]
    public async Task An_accept_racing_a_rate_cut_on_an_auto_book_offer_never_books_at_the_rate_the_driver_did_not_see()
    {
        using var carl = await server.LoginAs("carl.banks");
        for (var round = 0; round < 8; round++)
        {
            var d = server.AddTrucks(1)[0];
            var offer = await carl.CreateOffer(b => { b["driver_ids"] = new[] { d }; b["auto_book"] = true; });
            var proposalId = await carl.ProposalId(offer.Id(), d);
            using var driver = server.Driver(d);

            var cut = carl.Put($"/api/offers/{offer.Id()}", OfferApi.NewOffer(b => { b["proposed_rate"] = 1200; b["auto_book"] = true; }));
            var accept = driver.Respond(proposalId, "accept", 1500m);
            await Task.WhenAll(cut, accept);

            var stored = server.Scoped(db => db.Offers.Single(o => o.Id == offer.Id()));
            if ((await accept).StatusCode == HttpStatusCode.OK)
            {
                Assert.Equal(("completed", (decimal?)1500m), (stored.Status, stored.BookedRate));
                Assert.Equal(HttpStatusCode.Conflict, (await cut).StatusCode);
            }
            else
            {
                Assert.Equal(HttpStatusCode.Conflict, (await accept).StatusCode);
                Assert.Equal(HttpStatusCode.OK, (await cut).StatusCode);
                Assert.Equal(("active", 1200m), (stored.Status, stored.ProposedRate));
            }
        }
    }
}
