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
}
