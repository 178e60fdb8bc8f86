using System.Net;
using System.Text.Json;
using DriverOffers.Server.Features.Auth;
using DriverOffers.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace DriverOffers.Tests.Realtime;

/// <summary>
/// Several dispatchers, a manager and several drivers connected at once: each party gets exactly the events that
/// concern it (once, in order), and nobody hears of what is not theirs.
/// </summary>
public sealed class MultiPartyTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static int _nextUserId = 91_000;

    [Fact]
    public async Task Three_drivers_negotiate_with_carl_and_each_party_hears_exactly_its_own_part_once_in_order()
    {
        var trucks = server.AddTestTrucks(3);
        var (d1, d2, d3) = (trucks[0], trucks[1], trucks[2]);
        using var carlApi = await server.LoginAs("carl.banks");
        await using var carl = await server.ConnectDispatcher("carl.banks");
        await using var leo = await server.ConnectDispatcher("leo.durand");
        await using var manager = await ConnectManager();
        var drivers = new Dictionary<int, Client>();
        foreach (var id in trucks)
        {
            drivers[id] = await server.ConnectDriver(id);
        }
        try
        {
            var offer = await carlApi.CreateOffer(trucks);

            // Created: the dispatcher side gets the offer and every proposal, each driver the offer with its own proposal.
            foreach (var side in new[] { carl, manager })
            {
                var created = await side.Events.WaitFor("offer_created", EventLog.Offer(offer));
                Assert.Equal(3, created.GetProperty("counters").GetProperty("total").GetInt32());
                var proposals = await side.Events.WaitForCount("proposal_updated", 3, EventLog.About(offer));
                Assert.All(proposals, p => Assert.Equal(JsonValueKind.Object, p.GetProperty("driver").ValueKind));
            }
            foreach (var (id, driver) in drivers)
            {
                var mine = await driver.Events.WaitFor("offer_created", EventLog.Offer(offer));
                Assert.Equal(id, mine.GetProperty("my_proposal").GetProperty("driver_id").GetInt32());
                Assert.Equal(JsonValueKind.Null, mine.GetProperty("counters").ValueKind);
                await driver.Events.WaitFor("new_message", EventLog.About(offer, id));
            }

            // Driver 1 counters (hub), Carl counters back (REST), driver 1 accepts that (hub), Carl books (REST).
            var countered = await drivers[d1].Hub.InvokeAsync<JsonElement>("driver_proposal", new { offer_id = offer, action = "counter", rate = 1800 });
            Assert.Equal("counter_offered", countered.GetProperty("status").GetString());
            var proposal1 = await carlApi.ProposalIdOf(offer, d1);
            var back = await carlApi.Respond(proposal1, "counter", 1650);
            Assert.Equal(HttpStatusCode.OK, back.StatusCode);
            await drivers[d1].Events.WaitFor("proposal_updated", e => EventLog.About(offer, d1)(e) && e.GetProperty("dispatcher_proposed_rate").ValueKind == JsonValueKind.Number);
            var accepted = await drivers[d1].Hub.InvokeAsync<JsonElement>("driver_proposal", new { offer_id = offer, action = "accept" });
            Assert.Equal(1650m, accepted.GetProperty("agreed_rate").GetDecimal());
            await carl.Events.WaitFor("proposal_updated", e => EventLog.About(offer, d1)(e) && e.GetProperty("status").GetString() == "accepted");
            var booked = await carlApi.Post($"/api/offers/{offer}/book", new { driver_id = d1, rate = 1650 });
            Assert.Equal(HttpStatusCode.OK, booked.StatusCode);

            static bool Completed(JsonElement e) => e.GetProperty("status").GetString() == "completed";
            foreach (var client in drivers.Values.Append(carl).Append(manager))
            {
                await client.Events.WaitFor("offer_updated", e => EventLog.Offer(offer)(e) && Completed(e));
            }
            var conversations = trucks.ToDictionary(id => id, id => server.Scoped(db => db.ChatMessages
                .Where(m => m.OfferId == offer && m.DriverId == id).OrderBy(m => m.Id).Select(m => new { m.Id, m.MessageType, m.Message }).ToList()));
            var total = conversations.Values.Sum(c => c.Count);
            await carl.Events.WaitForCount("new_message", total, EventLog.About(offer));
            await manager.Events.WaitForCount("new_message", total, EventLog.About(offer));
            foreach (var (id, driver) in drivers)
            {
                await driver.Events.WaitForCount("new_message", conversations[id].Count, EventLog.About(offer, id));
                await driver.Events.WaitFor("proposal_updated", e => EventLog.About(offer, id)(e) && e.GetProperty("offer_status").GetString() == "completed");
            }
            await HubKit.Settle();

            // The audit trail: each step in the conversation it touches, and nothing of driver 1's anywhere else.
            Assert.Equal(new[] { "system", "rate_proposal", "system", "rate_proposal", "system", "system", "system" },
                conversations[d1].Select(m => m.MessageType));
            Assert.Contains("countered at $1,800.00", conversations[d1][2].Message, StringComparison.Ordinal);
            Assert.Contains("countered back at $1,650.00", conversations[d1][4].Message, StringComparison.Ordinal);
            Assert.Contains("accepted at $1,650.00", conversations[d1][5].Message, StringComparison.Ordinal);
            Assert.StartsWith("Load booked with", conversations[d1][6].Message, StringComparison.Ordinal);
            foreach (var other in new[] { d2, d3 })
            {
                Assert.Equal(2, conversations[other].Count);
                Assert.Equal("This load was booked by another driver.", conversations[other][1].Message);
            }

            // Every party: each message of its conversations once, in id order; offer versions never go back; one "completed".
            foreach (var side in new[] { carl, manager })
            {
                foreach (var id in trucks)
                {
                    Assert.Equal(conversations[id].Select(m => m.Id), side.Events.All("new_message", EventLog.About(offer, id)).Select(m => m.GetProperty("id").GetInt64()));
                }
                Assert.Single(side.Events.All("offer_created", EventLog.Offer(offer)));
                Assert.Single(side.Events.All("offer_updated", e => EventLog.Offer(offer)(e) && Completed(e)));
                AssertVersionsInOrder(side.Events, offer);
                var last = side.Events.All("proposal_updated", EventLog.About(offer, d1))[^1];
                Assert.True(last.GetProperty("is_booked").GetBoolean());
            }
            foreach (var (id, driver) in drivers)
            {
                Assert.Equal(conversations[id].Select(m => m.Id), driver.Events.All("new_message", EventLog.About(offer)).Select(m => m.GetProperty("id").GetInt64()));
                Assert.All(driver.Events.All("proposal_updated", EventLog.About(offer)), p =>
                {
                    Assert.Equal(id, p.GetProperty("driver_id").GetInt32());
                    Assert.Equal(JsonValueKind.Null, p.GetProperty("driver").ValueKind);
                });
                Assert.Single(driver.Events.All("offer_created", EventLog.Offer(offer)));
                AssertVersionsInOrder(driver.Events, offer);
                var done = Assert.Single(driver.Events.All("offer_updated", e => EventLog.Offer(offer)(e) && Completed(e)));
                Assert.Equal(JsonValueKind.Null, done.GetProperty("counters").ValueKind);
                Assert.Equal(id, done.GetProperty("my_proposal").GetProperty("driver_id").GetInt32());
                if (id == d1)
                {
                    Assert.False(done.GetProperty("load_taken").GetBoolean());
                    Assert.Equal(d1, done.GetProperty("booked_driver_id").GetInt32());
                    Assert.Equal(1650m, done.GetProperty("booked_rate").GetDecimal());
                }
                else
                {
                    Assert.True(done.GetProperty("load_taken").GetBoolean());
                    Assert.Equal(JsonValueKind.Null, done.GetProperty("booked_driver_id").ValueKind);
                    Assert.Equal(JsonValueKind.Null, done.GetProperty("booked_rate").ValueKind);
                    var mine = driver.Events.All("proposal_updated", EventLog.About(offer, id))[^1];
                    Assert.False(mine.GetProperty("is_booked").GetBoolean());
                    Assert.Equal("sent", mine.GetProperty("status").GetString());
                }
            }
            Assert.Empty(leo.Events.AboutOffer(offer));
        }
        finally
        {
            foreach (var driver in drivers.Values)
            {
                await driver.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_drivers_answers_reach_the_dispatcher_side_and_that_driver_and_the_other_drivers_hear_nothing_of_them()
    {
        var trucks = server.AddTestTrucks(3);
        var (d1, d2, d3) = (trucks[0], trucks[1], trucks[2]);
        using var carlApi = await server.LoginAs("carl.banks");
        await using var carl = await server.ConnectDispatcher("carl.banks");
        await using var manager = await ConnectManager();
        await using var first = await server.ConnectDriver(d1);
        await using var second = await server.ConnectDriver(d2);
        await using var third = await server.ConnectDriver(d3);
        var offer = await carlApi.CreateOffer(trucks);
        foreach (var (id, driver) in new[] { (d1, first), (d2, second), (d3, third) })
        {
            await driver.Events.WaitFor("new_message", EventLog.About(offer, id));
        }
        await carl.Events.WaitForCount("proposal_updated", 3, EventLog.About(offer));
        await HubKit.Settle();
        foreach (var client in new[] { carl, manager, first, second, third })
        {
            client.Events.Clear();
        }

        // Driver 1 opens the offer and counters; Carl counters back.
        await first.Hub.InvokeAsync<JsonElement>("driver_proposal", new { offer_id = offer, action = "view" });
        await first.Hub.InvokeAsync<JsonElement>("driver_proposal", new { offer_id = offer, action = "counter", rate = 1800 });
        Assert.Equal(HttpStatusCode.OK, (await carlApi.Respond(await carlApi.ProposalIdOf(offer, d1), "counter", 1650)).StatusCode);
        foreach (var side in new[] { carl, manager })
        {
            await side.Events.WaitFor("offer_updated", e => EventLog.Offer(offer)(e) && e.GetProperty("counters").GetProperty("counter_offered").GetInt32() == 1);
        }
        await first.Events.WaitFor("offer_updated", e => EventLog.Offer(offer)(e) &&
            e.GetProperty("my_proposal").GetProperty("dispatcher_proposed_rate").ValueKind == JsonValueKind.Number);
        await HubKit.Settle();
        // Nothing the other drivers see changed, and when a rival answers is none of their business.
        Assert.Empty(second.Events.AboutOffer(offer));
        Assert.Empty(third.Events.AboutOffer(offer));

        // Booked: everyone hears it once; driver 2 opening the offer afterwards is reading history and tells nobody.
        await carl.Hub.InvokeAsync<JsonElement>("offer_status_change", new { offer_id = offer, status = "completed", driver_id = d1, rate = 1800 });
        foreach (var driver in new[] { first, second, third })
        {
            await driver.Events.WaitFor("offer_updated", e => EventLog.Offer(offer)(e) && e.GetProperty("status").GetString() == "completed");
        }
        var opened = await second.Hub.InvokeAsync<JsonElement>("driver_proposal", new { offer_id = offer, action = "view" });
        Assert.Equal("sent", opened.GetProperty("status").GetString());
        await HubKit.Settle();
        foreach (var side in new[] { carl, manager, second })
        {
            Assert.Empty(side.Events.All("proposal_updated", e => EventLog.About(offer, d2)(e) && e.GetProperty("status").GetString() == "viewed"));
        }
        foreach (var driver in new[] { first, third })
        {
            Assert.Single(driver.Events.All("offer_updated", e => EventLog.Offer(offer)(e) && e.GetProperty("status").GetString() == "completed"));
        }
        Assert.Single(third.Events.All("offer_updated", EventLog.Offer(offer)));
        Assert.Empty(third.Events.All("proposal_updated", EventLog.About(offer, d2)));
    }

    [Fact]
    public async Task Three_drivers_accepting_an_auto_book_offer_at_once_over_hub_and_REST_book_one_and_everyone_hears_it_once()
    {
        var trucks = server.AddTestTrucks(3);
        using var carlApi = await server.LoginAs("carl.banks");
        await using var carl = await server.ConnectDispatcher("carl.banks");
        await using var d0 = await server.ConnectDriver(trucks[0]);
        await using var d1 = await server.ConnectDriver(trucks[1]);
        await using var d2 = await server.ConnectDriver(trucks[2]);
        var created = await carlApi.Post("/api/offers", HubKit.OfferBody(new() { ["driver_ids"] = trucks, ["auto_book"] = true }));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var offer = (await created.Body()).GetProperty("id").GetInt32();
        foreach (var d in new[] { d0, d1, d2 })
        {
            await d.Events.WaitFor("offer_created", EventLog.Offer(offer));
        }
        var proposal2 = await carlApi.ProposalIdOf(offer, trucks[2]);
        using var rest1 = server.Driver(trucks[1]);

        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        async Task<string?> ByHub(Client driver, object argument)
        {
            await go.Task;
            try
            {
                await driver.Hub.InvokeAsync<JsonElement>("driver_proposal", argument);
                return null;
            }
            catch (HubException e)
            {
                return e.Message;
            }
        }
        async Task<string?> ByRest()
        {
            await go.Task;
            var response = await rest1.Respond(await carlApi.ProposalIdOf(offer, trucks[1]), "accept");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return null;
            }
            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
            var current = (await response.Body()).GetProperty("current");
            Assert.True(current.GetProperty("load_taken").GetBoolean());
            Assert.Equal(JsonValueKind.Null, current.GetProperty("counters").ValueKind);
            return "409";
        }
        var attempts = new[]
        {
            Task.Run(() => ByHub(d0, new { offer_id = offer, action = "accept" })),
            Task.Run(ByRest),
            Task.Run(() => ByHub(d2, new { proposal_id = proposal2, action = "accept" })),
        };
        go.SetResult();
        var refusals = await Task.WhenAll(attempts);

        Assert.Single(refusals, r => r is null);
        Assert.All(refusals.Where(r => r is not null and not "409"), r => Assert.Contains("completed", r, StringComparison.Ordinal));
        var winner = trucks[Array.IndexOf(refusals, null)];
        var state = server.Scoped(db => db.Offers.Single(o => o.Id == offer));
        Assert.Equal(winner, state.BookedDriverId);
        Assert.Equal(1, server.Scoped(db => db.Proposals.Count(p => p.OfferId == offer && p.Status == "accepted")));

        static bool Completed(JsonElement e) => e.GetProperty("status").GetString() == "completed";
        var clients = new[] { (trucks[0], d0), (trucks[1], d1), (trucks[2], d2) };
        foreach (var (id, driver) in clients)
        {
            var done = await driver.Events.WaitFor("offer_updated", e => EventLog.Offer(offer)(e) && Completed(e));
            Assert.Equal(id != winner, done.GetProperty("load_taken").GetBoolean());
        }
        await carl.Events.WaitFor("offer_updated", e => EventLog.Offer(offer)(e) && Completed(e));
        var conversations = trucks.ToDictionary(id => id, id => server.Scoped(db =>
            db.ChatMessages.Where(m => m.OfferId == offer && m.DriverId == id).OrderBy(m => m.Id).Select(m => m.Id).ToList()));
        await carl.Events.WaitForCount("new_message", conversations.Values.Sum(c => c.Count), EventLog.About(offer));
        // Each driver's copies travel on its own connection: the dispatcher having all of them says nothing about those.
        foreach (var (id, driver) in clients)
        {
            await driver.Events.WaitForCount("new_message", conversations[id].Count, EventLog.About(offer));
        }
        await HubKit.Settle();

        Assert.Single(carl.Events.All("offer_updated", e => EventLog.Offer(offer)(e) && Completed(e)));
        foreach (var (id, driver) in clients)
        {
            Assert.Single(driver.Events.All("offer_updated", e => EventLog.Offer(offer)(e) && Completed(e)));
            Assert.Equal(conversations[id], driver.Events.All("new_message", EventLog.About(offer)).Select(m => m.GetProperty("id").GetInt64()));
            var texts = server.Scoped(db => db.ChatMessages.Where(m => m.OfferId == offer && m.DriverId == id).Select(m => m.Message).ToList());
            if (id == winner)
            {
                Assert.Contains(texts, t => t.StartsWith("Load booked with", StringComparison.Ordinal));
            }
            else
            {
                // A losing accept left no trace: no "accepted" line, one "booked by another driver".
                Assert.DoesNotContain(texts, t => t.Contains("accepted", StringComparison.Ordinal));
                Assert.Single(texts, t => t == "This load was booked by another driver.");
            }
        }
        Assert.Equal(conversations.Values.SelectMany(c => c).Order(),
            carl.Events.All("new_message", EventLog.About(offer)).Select(m => m.GetProperty("id").GetInt64()).Order());
    }

    [Fact]
    public async Task A_counter_that_comes_after_the_cancel_is_refused_with_the_reason_over_hub_and_REST_and_changes_nothing()
    {
        var trucks = server.AddTestTrucks(2);
        using var carlApi = await server.LoginAs("carl.banks");
        var offer = await carlApi.CreateOffer(trucks);
        await using var carl = await server.ConnectDispatcher("carl.banks");
        await using var leo = await server.ConnectDispatcher("leo.durand");
        await using var d0 = await server.ConnectDriver(trucks[0]);
        await using var d1 = await server.ConnectDriver(trucks[1]);
        await d0.Hub.InvokeAsync<JsonElement>("driver_proposal", new { offer_id = offer, action = "view" });

        // The counter and the cancel race: whichever commits first, the offer ends cancelled and the counter either
        // went in before it or was refused.
        var counter = Task.Run(async () =>
        {
            try
            {
                return (await d0.Hub.InvokeAsync<JsonElement>("driver_proposal", new { offer_id = offer, action = "counter", rate = 1900 })).GetProperty("status").GetString();
            }
            catch (HubException e)
            {
                return e.Message;
            }
        });
        var cancel = Task.Run(() => carlApi.DeleteAsync($"/api/offers/{offer}"));
        Assert.Equal(HttpStatusCode.OK, (await cancel).StatusCode);
        var raced = await counter;
        Assert.True(raced == "counter_offered" || raced!.Contains("cancelled", StringComparison.Ordinal), raced);

        foreach (var client in new[] { carl, d0, d1 })
        {
            await client.Events.WaitFor("offer_updated", e => EventLog.Offer(offer)(e) && e.GetProperty("status").GetString() == "cancelled");
        }
        var before = server.Scoped(db => (db.ChatMessages.Count(m => m.OfferId == offer),
            string.Join(",", db.Proposals.Where(p => p.OfferId == offer).OrderBy(p => p.Id).Select(p => p.Status + p.DriverProposedRate))));

        // The stale counters: the hub names the reason and says nothing changed; REST is a 409 with the driver's own view.
        var stale = await Assert.ThrowsAsync<HubException>(() => d0.Hub.InvokeAsync<JsonElement>("driver_proposal", new { offer_id = offer, action = "counter", rate = 2000 }));
        Assert.Contains("cancelled", stale.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was changed", stale.Message, StringComparison.Ordinal);
        using var rest1 = server.Driver(trucks[1]);
        var refused = await rest1.Respond(await carlApi.ProposalIdOf(offer, trucks[1]), "counter", 2100);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var problem = await refused.Body();
        Assert.Contains("cancelled", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var current = problem.GetProperty("current");
        Assert.Equal("cancelled", current.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, current.GetProperty("counters").ValueKind);
        Assert.Equal(trucks[1], current.GetProperty("my_proposal").GetProperty("driver_id").GetInt32());
        var lateBack = await carlApi.Respond(await carlApi.ProposalIdOf(offer, trucks[0]), "counter", 1700);
        Assert.Equal(HttpStatusCode.Conflict, lateBack.StatusCode);

        await HubKit.Settle();
        Assert.Equal(before, server.Scoped(db => (db.ChatMessages.Count(m => m.OfferId == offer),
            string.Join(",", db.Proposals.Where(p => p.OfferId == offer).OrderBy(p => p.Id).Select(p => p.Status + p.DriverProposedRate)))));
        foreach (var client in new[] { carl, d0, d1 })
        {
            Assert.Single(client.Events.All("offer_updated", e => EventLog.Offer(offer)(e) && e.GetProperty("status").GetString() == "cancelled"));
        }
        Assert.Empty(d1.Events.All("proposal_updated", EventLog.About(offer, trucks[0])));
        Assert.Empty(leo.Events.AboutOffer(offer));
    }

    [Fact]
    public async Task A_driver_back_from_a_drop_gets_exactly_the_messages_it_missed_from_REST_hub_and_the_audit_trail_and_none_of_another_drivers()
    {
        var trucks = server.AddTestTrucks(2);
        using var carlApi = await server.LoginAs("carl.banks");
        await using var carl = await server.ConnectDispatcher("carl.banks");
        var driver = await server.ConnectDriver(trucks[0]);
        var offer = await carlApi.CreateOffer(trucks);
        var invitation = await driver.Events.WaitFor("new_message", EventLog.About(offer, trucks[0]));
        var seen = invitation.GetProperty("id").GetInt64();
        await driver.DisposeAsync();

        var missed = new List<long>();
        async Task ByRest(int driverId, string text)
        {
            var r = await carlApi.Post($"/api/offers/{offer}/chat/{driverId}", new { message = text, client_message_id = Guid.NewGuid().ToString() });
            Assert.Equal(HttpStatusCode.Created, r.StatusCode);
            if (driverId == trucks[0])
            {
                missed.Add((await r.Body()).GetProperty("id").GetInt64());
            }
        }
        async Task ByHub(int driverId, string text)
        {
            var m = await carl.Hub.InvokeAsync<JsonElement>("send_message", new { offer_id = offer, driver_id = driverId, message = text, client_message_id = Guid.NewGuid().ToString() });
            if (driverId == trucks[0])
            {
                missed.Add(m.GetProperty("id").GetInt64());
            }
        }
        await ByRest(trucks[0], "rest 1");
        await ByHub(trucks[1], "for the other driver");
        await ByHub(trucks[0], "hub 1");
        Assert.Equal(HttpStatusCode.OK, (await carlApi.Respond(await carlApi.ProposalIdOf(offer, trucks[0]), "counter", 1700)).StatusCode);
        await ByRest(trucks[1], "for the other driver again");
        await ByRest(trucks[0], "rest 2");
        var trail = server.Scoped(db => db.ChatMessages.Where(m => m.OfferId == offer && m.DriverId == trucks[0] && m.Id > seen)
            .OrderBy(m => m.Id).Select(m => m.Id).ToList());
        Assert.Equal(5, trail.Count);
        Assert.Subset(trail.ToHashSet(), missed.ToHashSet());

        await using var back = await server.Connect(driver.Token);
        using var driverApi = server.Client(driver.Token);
        var page = (await (await driverApi.GetAsync($"/api/offers/{offer}/chat/{trucks[0]}?after_id={seen}")).Body()).EnumerateArray().ToList();
        Assert.Equal(trail, page.Select(m => m.GetProperty("id").GetInt64()));
        Assert.All(page, m => Assert.Equal(trucks[0], m.GetProperty("driver_id").GetInt32()));
        Assert.Equal(new[] { "text", "text", "rate_proposal", "system", "text" }, page.Select(m => m.GetProperty("message_type").GetString()));
        var hubPage = await back.Hub.InvokeAsync<JsonElement>("get_messages_after", new { offer_id = offer, driver_id = trucks[0], after_id = seen });
        Assert.Equal(trail, hubPage.EnumerateArray().Select(m => m.GetProperty("id").GetInt64()));
        // The other driver's conversation stays closed to this driver, asked by either way.
        Assert.Equal(HttpStatusCode.NotFound, (await driverApi.GetAsync($"/api/offers/{offer}/chat/{trucks[1]}?after_id=0")).StatusCode);
        await Assert.ThrowsAsync<HubException>(() => back.Hub.InvokeAsync<JsonElement>("get_messages_after", new { offer_id = offer, driver_id = trucks[1], after_id = 0 }));
    }

    [Fact]
    public async Task Read_receipts_reach_only_that_conversations_parties_and_a_wrong_party_is_refused_as_if_the_message_did_not_exist()
    {
        var trucks = server.AddTestTrucks(2);
        var (a, b) = (trucks[0], trucks[1]);
        using var carlApi = await server.LoginAs("carl.banks");
        var offer = await carlApi.CreateOffer(trucks);
        await using var carl = await server.ConnectDispatcher("carl.banks");
        await using var leo = await server.ConnectDispatcher("leo.durand");
        await using var manager = await ConnectManager();
        await using var tab1 = await server.ConnectDriver(a);
        await using var tab2 = await server.ConnectDriver(a);
        await using var other = await server.ConnectDriver(b);
        using var leoApi = await server.LoginAs("leo.durand");
        using var otherApi = server.Driver(b);

        var toA1 = (await (await carlApi.Post($"/api/offers/{offer}/chat/{a}", new { message = "one", client_message_id = $"r1-{offer}" })).Body()).GetProperty("id").GetInt64();
        var toA2 = (await carl.Hub.InvokeAsync<JsonElement>("send_message", new { offer_id = offer, driver_id = a, message = "two", client_message_id = $"r2-{offer}" })).GetProperty("id").GetInt64();
        var fromA = (await tab1.Hub.InvokeAsync<JsonElement>("send_message", new { offer_id = offer, driver_id = a, message = "mine", client_message_id = $"r3-{offer}" })).GetProperty("id").GetInt64();
        var toB = (await carl.Hub.InvokeAsync<JsonElement>("send_message", new { offer_id = offer, driver_id = b, message = "for b", client_message_id = $"r4-{offer}" })).GetProperty("id").GetInt64();

        // The driver marks up to its own latest message: it has read what came before it.
        var state = await tab1.Hub.InvokeAsync<JsonElement>("mark_message_read", new { message_id = fromA });
        Assert.Equal(2, state.GetProperty("marked").GetInt32());
        Assert.Equal(0, state.GetProperty("unread_count").GetInt32());
        foreach (var party in new[] { carl, manager, tab2 })
        {
            var read = await party.Events.WaitFor("message_read", EventLog.About(offer, a));
            Assert.Equal("driver", read.GetProperty("reader_type").GetString());
            Assert.Equal(a, read.GetProperty("reader_id").GetInt32());
            Assert.Equal(fromA, read.GetProperty("up_to_id").GetInt64());
        }
        Assert.True(server.Scoped(db => db.ChatMessages.Where(m => m.Id == toA1 || m.Id == toA2).All(m => m.IsRead)));
        // Again: nothing new, no second receipt. Its own message stays unread for the dispatcher side.
        Assert.Equal(0, (await tab1.Hub.InvokeAsync<JsonElement>("mark_message_read", new { message_id = fromA })).GetProperty("marked").GetInt32());
        Assert.False(server.Scoped(db => db.ChatMessages.Single(m => m.Id == fromA).IsRead));

        // Wrong parties: another driver, another dispatcher: the same answer as a message that does not exist.
        const long missing = 98_765_432;
        await OfferApi.AssertSameRefusal(await otherApi.PutAsync($"/api/chat/{missing}/read", null), await otherApi.PutAsync($"/api/chat/{fromA}/read", null));
        await OfferApi.AssertSameRefusal(await leoApi.PutAsync($"/api/chat/{missing}/read", null), await leoApi.PutAsync($"/api/chat/{fromA}/read", null));
        foreach (var (client, id) in new[] { (other, fromA), (other, toA1), (leo, fromA) })
        {
            var expected = await Assert.ThrowsAsync<HubException>(() => client.Hub.InvokeAsync<JsonElement>("mark_message_read", new { message_id = missing }));
            var actual = await Assert.ThrowsAsync<HubException>(() => client.Hub.InvokeAsync<JsonElement>("mark_message_read", new { message_id = id }));
            Assert.Equal(expected.Message, actual.Message);
        }
        Assert.False(server.Scoped(db => db.ChatMessages.Single(m => m.Id == fromA).IsRead));

        // A manager reads for the dispatcher side: Carl's tabs and the driver hear it, nobody else.
        var byManager = await manager.Hub.InvokeAsync<JsonElement>("mark_message_read", new { message_id = fromA });
        Assert.Equal(1, byManager.GetProperty("marked").GetInt32());
        var forDriver = await tab2.Events.WaitFor("message_read", e => EventLog.About(offer, a)(e) && e.GetProperty("reader_type").GetString() == "dispatcher");
        Assert.Equal(fromA, forDriver.GetProperty("up_to_id").GetInt64());
        await carl.Events.WaitFor("message_read", e => EventLog.About(offer, a)(e) && e.GetProperty("reader_type").GetString() == "dispatcher");
        // The first tab hears both receipts (its own and the manager's) on its own connection.
        await tab1.Events.WaitForCount("message_read", 2, EventLog.About(offer, a));
        await HubKit.Settle();
        Assert.Equal(2, tab1.Events.All("message_read", EventLog.About(offer, a)).Count);
        Assert.Empty(other.Events.All("message_read"));
        Assert.Empty(leo.Events.AboutOffer(offer));
        Assert.False(server.Scoped(db => db.ChatMessages.Single(m => m.Id == toB).IsRead));
    }

    [Fact]
    public async Task Every_hub_method_refuses_another_partys_conversation_with_exactly_the_answer_for_one_that_does_not_exist()
    {
        var trucks = server.AddTestTrucks(2);
        var (a, b) = (trucks[0], trucks[1]);
        using var carlApi = await server.LoginAs("carl.banks");
        var offer = await carlApi.CreateOffer(trucks);
        var onlyA = await carlApi.CreateOffer(a);
        await using var driverA = await server.ConnectDriver(a);
        await using var driverB = await server.ConnectDriver(b);
        await using var leo = await server.ConnectDispatcher("leo.durand");
        var message = (await driverA.Hub.InvokeAsync<JsonElement>("send_message",
            new { offer_id = offer, driver_id = a, message = "private", client_message_id = $"p-{offer}" })).GetProperty("id").GetInt64();
        var proposalA = await carlApi.ProposalIdOf(offer, a);
        const int none = 987_654;

        // (method, argument naming another party's thing, the same naming nothing)
        var forDriverB = new (string, object, object)[]
        {
            ("join_offer_chat", new { offer_id = offer, driver_id = a }, new { offer_id = none, driver_id = a }),
            ("leave_offer_chat", new { offer_id = offer, driver_id = a }, new { offer_id = none, driver_id = a }),
            ("typing_start", new { offer_id = offer, driver_id = a }, new { offer_id = none, driver_id = a }),
            ("typing_stop", new { offer_id = offer, driver_id = a }, new { offer_id = none, driver_id = a }),
            ("send_message", new { offer_id = offer, driver_id = a, message = "hi", client_message_id = "x1" },
                new { offer_id = none, driver_id = a, message = "hi", client_message_id = "x1" }),
            ("get_messages_after", new { offer_id = offer, driver_id = a, after_id = 0 }, new { offer_id = none, driver_id = a, after_id = 0 }),
            ("mark_message_read", new { message_id = message }, new { message_id = 98_765_432L }),
            ("driver_proposal", new { proposal_id = proposalA, action = "accept" }, new { proposal_id = none, action = "accept" }),
            ("driver_proposal", new { offer_id = onlyA, action = "view" }, new { offer_id = none, action = "view" }),
            ("driver_proposal", new { offer_id = offer, driver_id = a, action = "counter", rate = 1 }, new { offer_id = none, driver_id = a, action = "counter", rate = 1 }),
            ("get_offer_details", new { offer_id = onlyA }, new { offer_id = none }),
            ("offer_status_change", new { offer_id = offer, status = "cancelled" }, new { offer_id = none, status = "cancelled" }),
            ("offer_status_change", new { offer_id = offer, status = "completed", driver_id = a }, new { offer_id = none, status = "completed", driver_id = a }),
        };
        var forLeo = new (string, object, object)[]
        {
            ("join_offer_chat", new { offer_id = offer, driver_id = a }, new { offer_id = none, driver_id = a }),
            ("typing_start", new { offer_id = offer, driver_id = a }, new { offer_id = none, driver_id = a }),
            ("send_message", new { offer_id = offer, driver_id = a, message = "hi", client_message_id = "l1" },
                new { offer_id = none, driver_id = a, message = "hi", client_message_id = "l1" }),
            ("get_messages_after", new { offer_id = offer, driver_id = a, after_id = 0 }, new { offer_id = none, driver_id = a, after_id = 0 }),
            ("mark_message_read", new { message_id = message }, new { message_id = 98_765_432L }),
            ("driver_proposal", new { proposal_id = proposalA, action = "counter", rate = 1200 }, new { proposal_id = none, action = "counter", rate = 1200 }),
            ("driver_proposal", new { offer_id = offer, driver_id = a, action = "accept" }, new { offer_id = none, driver_id = a, action = "accept" }),
            ("get_offer_details", new { offer_id = offer }, new { offer_id = none }),
            ("offer_status_change", new { offer_id = offer, status = "cancelled" }, new { offer_id = none, status = "cancelled" }),
            ("offer_status_change", new { offer_id = offer, status = "completed", driver_id = a }, new { offer_id = none, status = "completed", driver_id = a }),
        };
        var before = server.Scoped(db => (db.ChatMessages.Count(m => m.OfferId == offer), db.Offers.Single(o => o.Id == offer).Version));
        foreach (var (client, attempts) in new[] { (driverB, forDriverB), (leo, forLeo) })
        {
            foreach (var (method, theirs, nothing) in attempts)
            {
                // Within the per-connection call rate (5 per second).
                await Task.Delay(450);
                var expected = await Assert.ThrowsAsync<HubException>(() => client.Hub.InvokeAsync<object?>(method, nothing));
                var actual = await Assert.ThrowsAsync<HubException>(() => client.Hub.InvokeAsync<object?>(method, theirs));
                Assert.True(expected.Message == actual.Message, $"{method} {JsonSerializer.Serialize(theirs)}: '{actual.Message}' vs '{expected.Message}'");
            }
        }
        Assert.Equal(before, server.Scoped(db => (db.ChatMessages.Count(m => m.OfferId == offer), db.Offers.Single(o => o.Id == offer).Version)));
    }

    [Fact]
    public async Task Presence_reaches_the_dispatcher_side_of_a_drivers_offers_and_that_dispatchers_drivers_only()
    {
        var trucks = server.AddTestTrucks(3);
        var (carls, leos, both) = (trucks[0], trucks[1], trucks[2]);
        using var carlApi = await server.LoginAs("carl.banks");
        using var leoApi = await server.LoginAs("leo.durand");
        await carlApi.CreateOffer(carls, both);
        await leoApi.CreateOffer(leos, both);
        await using var leo = await server.ConnectDispatcher("leo.durand");
        await using var manager = await ConnectManager();
        await using var driverOfLeo = await server.ConnectDriver(leos);
        await using var driverOfBoth = await server.ConnectDriver(both);

        await using (var carlsDriver = await server.ConnectDriver(carls))
        {
            await manager.Events.WaitFor("presence_changed", e => e.GetProperty("user_id").GetInt32() == carls && e.GetProperty("is_online").GetBoolean());
        }
        await manager.Events.WaitFor("presence_changed", e => e.GetProperty("user_id").GetInt32() == carls && !e.GetProperty("is_online").GetBoolean());
        await leo.Events.WaitFor("presence_changed", e => e.GetProperty("user_type").GetString() == "driver" && e.GetProperty("user_id").GetInt32() == both);

        // Carl comes online: the drivers of his offers hear it, Leo's own driver and Leo do not.
        await using (var carl = await server.ConnectDispatcher("carl.banks"))
        {
            await carl.Hub.InvokeAsync<JsonElement>("heartbeat", new { });
        }
        // Online, or (if an earlier connection of Carl's was still closing) at least offline when this one closes.
        await driverOfBoth.Events.WaitFor("presence_changed", e => e.GetProperty("user_type").GetString() == "dispatcher" && e.GetProperty("user_id").GetInt32() == HubKit.Carl);
        await HubKit.Settle();
        bool About(JsonElement e, string type, int id) => e.GetProperty("user_type").GetString() == type && e.GetProperty("user_id").GetInt32() == id;
        Assert.Empty(leo.Events.All("presence_changed", e => About(e, "driver", carls) || About(e, "dispatcher", HubKit.Carl)));
        Assert.Empty(driverOfLeo.Events.All("presence_changed", e => About(e, "dispatcher", HubKit.Carl) || About(e, "driver", carls) || About(e, "driver", both)));
        Assert.Empty(driverOfBoth.Events.All("presence_changed", e => e.GetProperty("user_type").GetString() == "driver"));
        // The manager is told of drivers, never of dispatchers (no offer of theirs went to Carl).
        Assert.Empty(manager.Events.All("presence_changed", e => e.GetProperty("user_type").GetString() == "dispatcher"));
    }

    /// <summary>The offer events as received: a client applies one only if its version is not lower, so none may go back.</summary>
    private static void AssertVersionsInOrder(EventLog events, int offer)
    {
        var versions = events.AboutOffer(offer).Where(e => e.Name is "offer_created" or "offer_updated")
            .Select(e => e.Payload.GetProperty("version").GetInt32()).ToList();
        Assert.Equal(versions.Order(), versions);
    }

    private async Task<Client> ConnectManager()
    {
        var id = Interlocked.Increment(ref _nextUserId);
        var user = new User(id, $"manager{id}", $"manager{id}@example.com", "$2y$10$notusedbythistest", $"Manager {id}", null, User.Manager,
            isActive: true, DateTime.UtcNow);
        server.Scoped(db =>
        {
            db.Users.Add(user);
            return db.SaveChanges();
        });
        return await server.Connect(server.Services.GetRequiredService<TokenService>().ForUser(user).Token);
    }
}
