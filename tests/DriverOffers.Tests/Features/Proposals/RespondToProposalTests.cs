using System.Net;
using DriverOffers.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace DriverOffers.Tests.Features.Proposals;

public sealed class RespondToProposalTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private async Task<(HttpClient Carl, int OfferId, int ProposalId, int Driver)> Invited(Action<Dictionary<string, object?>>? change = null)
    {
        var carl = await server.LoginAs("carl.banks");
        var driver = server.AddTrucks(1)[0];
        var offer = await carl.CreateOffer(b => { b["driver_ids"] = new[] { driver }; change?.Invoke(b); });
        return (carl, offer.Id(), await carl.ProposalId(offer.Id(), driver), driver);
    }

    [Fact]
    public async Task Driver_views_then_counters_and_each_step_leaves_a_system_message_and_the_counter_a_rate_proposal()
    {
        var (carl, offerId, proposalId, driverId) = await Invited();
        using var driver = server.Driver(driverId);
        var viewed = await (await driver.Respond(proposalId, "view")).Body();
        Assert.Equal("viewed", viewed.Str("status"));
        var again = await (await driver.Respond(proposalId, "view")).Body();
        Assert.Equal("viewed", again.Str("status"));
        var countered = await (await driver.Respond(proposalId, "counter", 1800m)).Body();
        Assert.Equal("counter_offered", countered.Str("status"));
        Assert.Equal(1800m, countered.GetProperty("driver_proposed_rate").GetDecimal());
        var chat = await driver.Chat(offerId, driverId);
        Assert.Equal(["system", "system", "rate_proposal", "system"], chat.Select(m => m.Str("message_type")));
        Assert.Equal(1800m, chat[^2].GetProperty("rate").GetDecimal());
        Assert.Equal("driver", chat[^2].Str("sender_type"));
        var counters = (await (await carl.GetAsync($"/api/offers/{offerId}")).Body()).GetProperty("counters");
        Assert.Equal(1, counters.GetProperty("counter_offered").GetInt32());
        carl.Dispose();
    }

    [Fact]
    public async Task Dispatcher_counters_back_with_a_rate_proposal_and_the_driver_accepts_that_rate()
    {
        var (carl, offerId, proposalId, driverId) = await Invited();
        using var driver = server.Driver(driverId);
        await driver.Respond(proposalId, "counter", 1900m);
        var back = await carl.Respond(proposalId, "counter", 1700m);
        Assert.Equal(HttpStatusCode.OK, back.StatusCode);
        Assert.Equal(1700m, (await back.Body()).GetProperty("dispatcher_proposed_rate").GetDecimal());
        var chat = await driver.Chat(offerId, driverId);
        var (card, line) = (chat[^2], chat[^1]);
        Assert.Equal("rate_proposal", card.Str("message_type"));
        Assert.Equal(1700m, card.GetProperty("rate").GetDecimal());
        Assert.Equal("dispatcher", card.Str("sender_type"));
        // The audit trail's line, as for the driver's counter.
        Assert.Equal("system", line.Str("message_type"));
        Assert.Contains("countered back at $1,700.00", line.Str("message"), StringComparison.Ordinal);
        Assert.Equal(1, (await (await driver.GetAsync($"/api/offers/{offerId}")).Body()).GetProperty("unread_count").GetInt32());
        var accepted = await (await driver.Respond(proposalId, "accept")).Body();
        Assert.Equal(1700m, accepted.GetProperty("agreed_rate").GetDecimal());
        var booked = await (await carl.Post($"/api/offers/{offerId}/book", new { driver_id = driverId })).Body();
        Assert.Equal(1700m, booked.GetProperty("booked_rate").GetDecimal());
        carl.Dispose();
    }

    [Fact]
    public async Task Dispatcher_accepting_a_counter_books_the_driver_at_the_counter_rate()
    {
        var (carl, offerId, proposalId, driverId) = await Invited();
        using var driver = server.Driver(driverId);
        await driver.Respond(proposalId, "counter", 1650m);
        var response = await carl.Respond(proposalId, "accept");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var proposal = await response.Body();
        Assert.True(proposal.GetProperty("is_booked").GetBoolean());
        Assert.Equal("completed", proposal.Str("offer_status"));
        Assert.Equal(1650m, proposal.GetProperty("agreed_rate").GetDecimal());
        var offer = await (await carl.GetAsync($"/api/offers/{offerId}")).Body();
        Assert.Equal(1650m, offer.GetProperty("booked_rate").GetDecimal());
        carl.Dispose();
    }

    [Fact]
    public async Task Rejected_proposal_is_final()
    {
        var (carl, _, proposalId, driverId) = await Invited();
        using var driver = server.Driver(driverId);
        Assert.Equal("rejected", (await (await driver.Respond(proposalId, "reject")).Body()).Str("status"));
        Assert.Equal(HttpStatusCode.Conflict, (await driver.Respond(proposalId, "accept")).StatusCode);
        carl.Dispose();
    }

    [Fact]
    public async Task Opening_a_cancelled_offer_changes_nothing_and_writes_no_viewed_line()
    {
        var (carl, offerId, proposalId, driverId) = await Invited();
        Assert.Equal(HttpStatusCode.OK, (await carl.DeleteAsync($"/api/offers/{offerId}")).StatusCode);
        using var driver = server.Driver(driverId);
        var before = await driver.Chat(offerId, driverId);

        var viewed = await driver.Respond(proposalId, "view");

        Assert.Equal(HttpStatusCode.OK, viewed.StatusCode);
        Assert.Equal("sent", (await viewed.Body()).Str("status"));
        Assert.Equal(before.Length, (await driver.Chat(offerId, driverId)).Length);
        carl.Dispose();
    }

    [Fact]
    public async Task Expiry_stops_responses()
    {
        var (carl, offerId, proposalId, driverId) = await Invited(b => b["expires_at"] = DateTime.UtcNow.AddHours(1));
        server.Scoped(db => db.Offers.Where(o => o.Id == offerId)
            .ExecuteUpdate(s => s.SetProperty(o => o.ExpiresAt, DateTime.UtcNow.AddMinutes(-1))));
        using var driver = server.Driver(driverId);
        var response = await driver.Respond(proposalId, "accept");
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var current = (await response.Body()).GetProperty("current");
        Assert.True(current.GetProperty("is_expired").GetBoolean());
        Assert.Equal("sent", current.GetProperty("my_proposal").Str("status"));
        Assert.Equal(HttpStatusCode.Conflict, (await driver.Respond(proposalId, "counter", 2000m)).StatusCode);
        carl.Dispose();
    }

    [Theory]
    [InlineData("approve", null, "action")]
    [InlineData("counter", null, "rate")]
    [InlineData("counter", 0, "rate")]
    [InlineData("counter", 2_000_000, "rate")]
    [InlineData("accept", 0, "rate")]
    [InlineData("reject", 1200, "rate")]
    [InlineData("view", 1200, "rate")]
    public async Task Invalid_responses_name_the_field_and_change_nothing(string action, int? rate, string field)
    {
        var (carl, _, proposalId, driverId) = await Invited();
        using var driver = server.Driver(driverId);
        var response = await driver.Respond(proposalId, action, rate);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal([field], await response.ErrorFields());
        Assert.Equal("sent", server.Scoped(db => db.Proposals.Single(p => p.Id == proposalId).Status));
        carl.Dispose();
    }

    [Fact]
    public async Task A_counter_in_fractions_of_a_cent_is_refused_naming_the_rate()
    {
        var (carl, _, proposalId, driverId) = await Invited();
        using var driver = server.Driver(driverId);
        var response = await driver.Respond(proposalId, "counter", 1800.005m);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["rate"], await response.ErrorFields());
        Assert.Equal("sent", server.Scoped(db => db.Proposals.Single(p => p.Id == proposalId).Status));
        Assert.Equal(HttpStatusCode.OK, (await driver.Respond(proposalId, "counter", 1800.05m)).StatusCode);
        carl.Dispose();
    }

    [Fact]
    public async Task Dispatchers_can_only_accept_or_counter()
    {
        var (carl, _, proposalId, _) = await Invited();
        Assert.Equal(["action"], await (await carl.Respond(proposalId, "reject")).ErrorFields());
        carl.Dispose();
    }

    [Fact]
    public async Task Another_drivers_proposal_answers_exactly_like_a_missing_one()
    {
        var (carl, offerId, proposalId, _) = await Invited();
        var other = server.AddTrucks(1)[0];
        await carl.SendTo(offerId, other);
        using var driverB = server.Driver(other);
        await OfferApi.AssertSameRefusal(await driverB.Respond(987_654, "accept"), await driverB.Respond(proposalId, "accept"));
        Assert.Equal(HttpStatusCode.NotFound, (await driverB.Respond(proposalId, "accept")).StatusCode);
        using var leo = await server.LoginAs("leo.durand");
        await OfferApi.AssertSameRefusal(await leo.Respond(987_654, "counter", 100m), await leo.Respond(proposalId, "counter", 100m));
        var mine = await (await driverB.GetAsync($"/api/offers/{offerId}/proposals")).Body();
        Assert.Equal(other, Assert.Single(mine.EnumerateArray()).GetProperty("driver_id").GetInt32());
        Assert.Equal("sent", server.Scoped(db => db.Proposals.Single(p => p.Id == proposalId).Status));
        carl.Dispose();
    }
}
