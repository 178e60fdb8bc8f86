using System.Net;
using DriverOffers.Tests.Infrastructure;

namespace DriverOffers.Tests.Realtime;

/// <summary>A send to hundreds of drivers: announced as one (offer first, then proposals and messages in bulk).</summary>
public sealed class FanOutTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task A_500_driver_send_gives_each_driver_exactly_one_offer_created_its_proposal_and_its_message()
    {
        using var carlApi = await server.LoginAs("carl.banks");
        var offer = await carlApi.CreateOffer();
        var trucks = server.AddTrucks(500);
        await using var carl = await server.ConnectDispatcher("carl.banks");
        var drivers = new List<Client>();
        try
        {
            foreach (var chunk in trucks.Chunk(50))
            {
                drivers.AddRange(await Task.WhenAll(chunk.Select(server.ConnectDriver)));
            }

            var sent = await carlApi.Post($"/api/offers/{offer}/send-to-drivers", new { driver_ids = trucks });
            Assert.Equal(HttpStatusCode.OK, sent.StatusCode);

            // The dispatcher hears of every proposal and every "sent" message.
            var proposals = await carl.Events.WaitForCount("proposal_updated", 500, EventLog.About(offer), seconds: 60);
            Assert.Equal(trucks.Order(), proposals.Select(p => p.GetProperty("driver_id").GetInt32()).Order());
            await carl.Events.WaitForCount("new_message", 500, EventLog.About(offer), seconds: 60);
            foreach (var (driver, id) in drivers.Zip(trucks))
            {
                var mine = await driver.Events.WaitFor("offer_created", EventLog.Offer(offer), seconds: 60);
                Assert.Equal(id, mine.GetProperty("my_proposal").GetProperty("driver_id").GetInt32());
                await driver.Events.WaitFor("new_message", EventLog.About(offer, id), seconds: 60);
            }
            await HubKit.Settle();
            foreach (var (driver, id) in drivers.Zip(trucks))
            {
                Assert.Single(driver.Events.All("offer_created", EventLog.Offer(offer)));
                Assert.Empty(driver.Events.All("offer_updated", EventLog.Offer(offer)));
                // offer_created carried the driver's proposal.
                Assert.Empty(driver.Events.All("proposal_updated", EventLog.About(offer)));
                // Nobody gets another driver's proposal or conversation.
                Assert.All(driver.Events.AboutOffer(offer).Where(e => e.Name != "offer_created"),
                    e => Assert.Equal(id, e.Payload.GetProperty("driver_id").GetInt32()));
            }
            Assert.Equal(500, carl.Events.All("proposal_updated", EventLog.About(offer)).Count);
        }
        finally
        {
            foreach (var d in drivers)
            {
                await d.DisposeAsync();
            }
        }
    }
}
