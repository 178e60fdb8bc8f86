using System.Diagnostics;
using System.Net;
using DriverOffers.Server.Common;
using DriverOffers.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace DriverOffers.Tests.Features.Offers;

/// <summary>Logs each re-run of a use case that lost a race (Outcome.RetryOnConcurrency), so a test can count them.</summary>
public sealed class RetryCountingServerFixture : ServerFixture
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        [$"Logging:LogLevel:{typeof(Outcome).FullName}"] = "Debug",
    };

    /// <summary>From now on, the re-runs this server logs.</summary>
    public Func<int> CountRetries()
    {
        var capture = new CapturingLoggerProvider();
        Services.GetRequiredService<ILoggerFactory>().AddProvider(capture);
        return () => capture.Entries.Count(e => e.Category == typeof(Outcome).FullName && e.Level == LogLevel.Debug);
    }
}

public sealed class BookingTests(RetryCountingServerFixture server, ITestOutputHelper output) : IClassFixture<RetryCountingServerFixture>
{
    /// <summary>Answers racing on one offer queue on its row lock (AppDb.LockOffer) instead of losing to each other: a
    /// re-run means a deadlock or a busy database, not a lost round. Reading first let each round through one of fifty:
    /// hundreds of re-runs for fifty accepts that all succeed, one per loser where the first closes the offer.</summary>
    private const int FewRetries = 5;

    [Fact]
    public async Task Carl_sends_to_107_and_120_the_driver_of_107_accepts_through_the_link_Carl_books_and_120_sees_the_load_taken()
    {
        using var carl = await server.LoginAs("carl.banks");
        var offer = await carl.CreateOffer();
        var sent = await carl.SendTo(offer.Id(), 107, 120);
        var link = sent.GetProperty("drivers").EnumerateArray().Single(d => d.GetProperty("driver_id").GetInt32() == 107).Str("link");

        using var anonymous = server.Client();
        var exchange = await anonymous.Post("/api/driver/auth/exchange", new { code = link[(link.LastIndexOf('/') + 1)..] });
        Assert.Equal(HttpStatusCode.OK, exchange.StatusCode);
        var exchanged = await exchange.Body();
        Assert.Equal(offer.Id(), exchanged.GetProperty("offer_id").GetInt32());
        using var nwee = server.Client(exchanged.Str("access_token"));
        var mine = (await (await nwee.GetAsync($"/api/offers/{offer.Id()}")).Body()).GetProperty("my_proposal");
        Assert.Equal(HttpStatusCode.OK, (await nwee.Respond(mine.Id(), "view")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await nwee.Respond(mine.Id(), "accept")).StatusCode);

        var booked = await carl.Post($"/api/offers/{offer.Id()}/book", new { driver_id = 107 });
        Assert.Equal(HttpStatusCode.OK, booked.StatusCode);
        var bookedOffer = await booked.Body();
        Assert.Equal("completed", bookedOffer.Str("status"));
        Assert.Equal(107, bookedOffer.GetProperty("booked_driver_id").GetInt32());
        Assert.Equal(1500m, bookedOffer.GetProperty("booked_rate").GetDecimal());

        var proposals = (await (await carl.GetAsync($"/api/offers/{offer.Id()}/proposals")).Body()).EnumerateArray().ToArray();
        var rodneys = proposals.Single(p => p.GetProperty("driver_id").GetInt32() == 120);
        Assert.Equal("completed", rodneys.Str("offer_status"));
        Assert.False(rodneys.GetProperty("is_booked").GetBoolean());
        using var rodney = server.Driver(120);
        var asRodney = await (await rodney.GetAsync($"/api/offers/{offer.Id()}")).Body();
        Assert.True(asRodney.GetProperty("load_taken").GetBoolean());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, asRodney.GetProperty("booked_driver_id").ValueKind);
        Assert.Contains(await rodney.Chat(offer.Id(), 120), m => m.Str("message") == "This load was booked by another driver.");
        Assert.Equal(HttpStatusCode.Conflict, (await rodney.Respond(asRodney.GetProperty("my_proposal").Id(), "accept")).StatusCode);
    }

    [Fact]
    public async Task A_driver_who_countered_after_accepting_is_not_booked_at_the_rate_the_dispatcher_did_not_see()
    {
        using var carl = await server.LoginAs("carl.banks");
        var offer = await carl.CreateOffer(b => b["driver_ids"] = new[] { 107 });
        var proposalId = await carl.ProposalId(offer.Id(), 107);
        using var nwee = server.Driver(107);
        Assert.Equal(HttpStatusCode.OK, (await nwee.Respond(proposalId, "accept")).StatusCode);
        // Carl's screen shows the accept at $1,500; before he clicks, the driver counters at $5,000.
        Assert.Equal(HttpStatusCode.OK, (await nwee.Respond(proposalId, "counter", 5000m)).StatusCode);

        var stale = await carl.Post($"/api/offers/{offer.Id()}/book", new { driver_id = 107, rate = 1500 });

        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Equal("active", (await stale.Body()).GetProperty("current").Str("status"));
        var badRate = await carl.Post($"/api/offers/{offer.Id()}/book", new { driver_id = 107, rate = -5 });
        Assert.Equal(["rate"], await badRate.ErrorFields());
        var agreed = await carl.Post($"/api/offers/{offer.Id()}/book", new { driver_id = 107, rate = 5000 });
        Assert.Equal(HttpStatusCode.OK, agreed.StatusCode);
        Assert.Equal(5000m, (await agreed.Body()).GetProperty("booked_rate").GetDecimal());
    }

    [Fact]
    public async Task Fifty_parallel_book_calls_book_exactly_one_driver_and_the_losers_get_409_with_the_current_offer()
    {
        using var carl = await server.LoginAs("carl.banks");
        var drivers = server.AddTrucks(50);
        var offer = await carl.CreateOffer(b => b["driver_ids"] = drivers);
        var ids = await Task.WhenAll(drivers.Select(d => carl.ProposalId(offer.Id(), d)));
        var acceptRetries = server.CountRetries();
        var acceptClock = Stopwatch.StartNew();
        // Every accept succeeds and bumps the offer's version: racing unlocked, each round let one of them through.
        await Task.WhenAll(drivers.Zip(ids).Select(async x =>
        {
            using var driver = server.Driver(x.First);
            Assert.Equal(HttpStatusCode.OK, (await driver.Respond(x.Second, "accept")).StatusCode);
        }));
        output.WriteLine($"{TestDatabase.Selected}: 50 drivers accepting an offer at once took {acceptClock.ElapsedMilliseconds} ms, {acceptRetries()} re-runs");
        Assert.InRange(acceptRetries(), 0, FewRetries);

        var retries = server.CountRetries();
        var clock = Stopwatch.StartNew();

        var responses = await Task.WhenAll(drivers.Select(d => carl.Post($"/api/offers/{offer.Id()}/book", new { driver_id = d })));

        output.WriteLine($"{TestDatabase.Selected}: 50 parallel book calls took {clock.ElapsedMilliseconds} ms, {retries()} re-runs");
        Assert.InRange(retries(), 0, FewRetries);
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        Assert.Equal(49, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        var winner = await responses.Single(r => r.IsSuccessStatusCode).Body();
        foreach (var loser in responses.Where(r => r.StatusCode == HttpStatusCode.Conflict))
        {
            var current = (await loser.Body()).GetProperty("current");
            Assert.Equal("completed", current.Str("status"));
            Assert.Equal(winner.GetProperty("booked_driver_id").GetInt32(), current.GetProperty("booked_driver_id").GetInt32());
        }
        Assert.Equal(1, server.Scoped(db => db.Offers.Count(o => o.Id == offer.Id() && o.BookedDriverId != null)));
    }

    [Fact]
    public async Task Fifty_drivers_accepting_an_auto_book_offer_at_once_book_exactly_one()
    {
        using var carl = await server.LoginAs("carl.banks");
        var drivers = server.AddTrucks(50);
        var offer = await carl.CreateOffer(b => { b["driver_ids"] = drivers; b["auto_book"] = true; });
        var ids = await Task.WhenAll(drivers.Select(d => carl.ProposalId(offer.Id(), d)));
        var clients = drivers.Select(server.Driver).ToArray();
        var retries = server.CountRetries();
        var clock = Stopwatch.StartNew();

        var responses = await Task.WhenAll(clients.Zip(ids).Select(x => x.First.Respond(x.Second, "accept")));

        output.WriteLine($"{TestDatabase.Selected}: 50 drivers accepting at once took {clock.ElapsedMilliseconds} ms, {retries()} re-runs");
        Assert.InRange(retries(), 0, FewRetries);
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        Assert.Equal(49, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        var after = await (await carl.GetAsync($"/api/offers/{offer.Id()}")).Body();
        Assert.Equal("completed", after.Str("status"));
        var winnerId = after.GetProperty("booked_driver_id").GetInt32();
        var winnerIndex = Array.IndexOf(drivers, winnerId);
        Assert.Equal(HttpStatusCode.OK, responses[winnerIndex].StatusCode);
        Assert.Equal(1, after.GetProperty("counters").GetProperty("accepted").GetInt32());
        foreach (var loser in responses.Where(r => r.StatusCode == HttpStatusCode.Conflict))
        {
            // Each loser is told where things stand: the load went to someone else.
            var current = (await loser.Body()).GetProperty("current");
            Assert.Equal(offer.Id(), current.Id());
            Assert.True(current.GetProperty("load_taken").GetBoolean());
        }
        foreach (var c in clients)
        {
            c.Dispose();
        }
    }

    [Fact]
    public async Task Booking_a_driver_who_has_not_accepted_is_a_conflict_and_an_uninvited_driver_is_invalid()
    {
        using var carl = await server.LoginAs("carl.banks");
        var offer = await carl.CreateOffer(b => b["driver_ids"] = new[] { 107 });
        var notAccepted = await carl.Post($"/api/offers/{offer.Id()}/book", new { driver_id = 107 });
        Assert.Equal(HttpStatusCode.Conflict, notAccepted.StatusCode);
        Assert.Equal("active", (await notAccepted.Body()).GetProperty("current").Str("status"));
        var uninvited = await carl.Post($"/api/offers/{offer.Id()}/book", new { driver_id = 120 });
        Assert.Equal(["driver_id"], await uninvited.ErrorFields());
        var missing = await carl.Post($"/api/offers/{offer.Id()}/book", new { });
        Assert.Equal(["driver_id"], await missing.ErrorFields());
    }

    [Fact]
    public async Task Cancel_racing_a_booking_lets_exactly_one_win()
    {
        using var carl = await server.LoginAs("carl.banks");
        var drivers = server.AddTrucks(1);
        var offer = await carl.CreateOffer(b => b["driver_ids"] = drivers);
        using var driver = server.Driver(drivers[0]);
        await driver.Respond(await carl.ProposalId(offer.Id(), drivers[0]), "accept");

        var book = carl.Post($"/api/offers/{offer.Id()}/book", new { driver_id = drivers[0] });
        var cancel = carl.DeleteAsync($"/api/offers/{offer.Id()}");
        var results = await Task.WhenAll(book, cancel);

        Assert.Single(results, r => r.StatusCode == HttpStatusCode.OK);
        Assert.Single(results, r => r.StatusCode == HttpStatusCode.Conflict);
        var final = await (await carl.GetAsync($"/api/offers/{offer.Id()}")).Body();
        Assert.Equal(results[0].IsSuccessStatusCode ? "completed" : "cancelled", final.Str("status"));
    }

    [Fact]
    public async Task Edit_refuses_driver_ids_and_other_unknown_fields()
    {
        using var carl = await server.LoginAs("carl.banks");
        var offer = await carl.CreateOffer();
        var response = await carl.Put($"/api/offers/{offer.Id()}", OfferApi.NewOffer(b => b["driver_ids"] = new[] { 107 }));
        Assert.Equal(["driver_ids"], await response.ErrorFields());
        var invalid = await carl.Put($"/api/offers/{offer.Id()}", OfferApi.NewOffer(b => b["proposed_rate"] = 0));
        Assert.Equal(["proposed_rate"], await invalid.ErrorFields());
        Assert.Equal(1500m, (await (await carl.GetAsync($"/api/offers/{offer.Id()}")).Body()).GetProperty("proposed_rate").GetDecimal());
    }
}
