using System.Net;
using System.Text.Json;
using DriverOffers.Server.Common;
using DriverOffers.Server.Data;
using DriverOffers.Server.Features.Auth;
using DriverOffers.Server.Features.Chat;
using DriverOffers.Server.Features.Offers;
using DriverOffers.Server.Features.Proposals;
using DriverOffers.Server.Realtime;
using DriverOffers.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DriverOffers.Tests.Realtime;

/// <summary>offer_created / offer_updated / proposal_updated reach the offer's dispatcher side and its invited drivers only.</summary>
public sealed class OfferEventsTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task A_new_offer_reaches_its_dispatcher_the_supervisors_and_each_invited_driver_only()
    {
        using var carlApi = await server.LoginAs("carl.banks");
        await using var carl = await server.ConnectDispatcher("carl.banks");
        await using var admin = await server.ConnectDispatcher("vladyslav");
        await using var leo = await server.ConnectDispatcher("leo.durand");
        await using var d107 = await server.ConnectDriver(107);
        await using var d120 = await server.ConnectDriver(120);
        await using var d122 = await server.ConnectDriver(122);

        var offer = await carlApi.CreateOffer(107, 120);

        var forCarl = await carl.Events.WaitFor("offer_created", EventLog.Offer(offer));
        Assert.Equal(2, forCarl.GetProperty("counters").GetProperty("total").GetInt32());
        await admin.Events.WaitFor("offer_created", EventLog.Offer(offer));
        foreach (var (driver, id) in new[] { (d107, 107), (d120, 120) })
        {
            var mine = await driver.Events.WaitFor("offer_created", EventLog.Offer(offer));
            Assert.Equal(id, mine.GetProperty("my_proposal").GetProperty("driver_id").GetInt32());
            Assert.Equal(JsonValueKind.Null, mine.GetProperty("counters").ValueKind);
            Assert.Equal("Carl Banks", mine.GetProperty("dispatcher").GetProperty("full_name").GetString());
        }
        await carl.Events.WaitForCount("proposal_updated", 2, EventLog.About(offer));
        await HubKit.Settle();
        // The driver's offer_created carries the proposal: no separate proposal_updated for it.
        Assert.Empty(d107.Events.All("proposal_updated", EventLog.About(offer)));
        Assert.Empty(leo.Events.AboutOffer(offer));
        Assert.Empty(d122.Events.AboutOffer(offer));
        Assert.Empty(d107.Events.All("proposal_updated", EventLog.About(offer, 120)));
        Assert.Empty(d120.Events.All("proposal_updated", EventLog.About(offer, 107)));
        Assert.Single(carl.Events.All("offer_created", EventLog.Offer(offer)));
    }

    [Fact]
    public async Task Sending_to_more_drivers_brings_the_new_driver_the_offer_and_leaves_the_drivers_invited_before_alone()
    {
        using var carlApi = await server.LoginAs("carl.banks");
        var offer = await carlApi.CreateOffer(107);
        await using var carl = await server.ConnectDispatcher("carl.banks");
        await using var d107 = await server.ConnectDriver(107);
        await using var d120 = await server.ConnectDriver(120);

        var sent = await carlApi.Post($"/api/offers/{offer}/send-to-drivers", new Dictionary<string, object> { ["driver_ids"] = new List<int> { 120 } });
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);

        await d120.Events.WaitFor("offer_created", EventLog.Offer(offer));
        var updated = await carl.Events.WaitFor("offer_updated", e => EventLog.Offer(offer)(e) && e.GetProperty("counters").GetProperty("total").GetInt32() == 2);
        Assert.Equal("active", updated.GetProperty("status").GetString());
        await d120.Events.WaitFor("new_message", EventLog.About(offer, 120));
        await HubKit.Settle();
        // Nothing d107 can see changed (and who else was invited is none of its business).
        Assert.Empty(d107.Events.AboutOffer(offer));
        Assert.Empty(d120.Events.All("offer_updated", EventLog.Offer(offer)));
        Assert.Empty(d120.Events.All("proposal_updated", EventLog.About(offer)));
    }

    [Fact]
    public async Task The_dispatchers_proposal_updated_for_a_new_invitation_is_the_proposal_as_listed()
    {
        using var carlApi = await server.LoginAs("carl.banks");
        var offer = await carlApi.CreateOffer(107);
        await using var carl = await server.ConnectDispatcher("carl.banks");

        var sent = await carlApi.Post($"/api/offers/{offer}/send-to-drivers", new Dictionary<string, object> { ["driver_ids"] = new List<int> { 120, 122 } });
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);

        var pushed = await carl.Events.WaitForCount("proposal_updated", 2, EventLog.About(offer));
        var listed = (await (await carlApi.GetAsync($"/api/offers/{offer}/proposals")).Body()).EnumerateArray().ToList();
        foreach (var driverId in new[] { 120, 122 })
        {
            var live = Assert.Single(pushed, p => p.GetProperty("driver_id").GetInt32() == driverId);
            var rest = Assert.Single(listed, p => p.GetProperty("driver_id").GetInt32() == driverId);
            Assert.True(JsonElement.DeepEquals(rest, live), $"pushed {live.GetRawText()}\nlisted {rest.GetRawText()}");
            Assert.Equal("sent", live.GetProperty("status").GetString());
            Assert.Equal(driverId.ToString(), live.GetProperty("driver").GetProperty("truck_number").GetString());
        }
    }

    [Fact]
    public async Task A_driver_answering_the_moment_the_offer_arrives_leaves_the_dispatcher_with_the_answer_last()
    {
        using var carlApi = await server.LoginAs("carl.banks");
        var offer = await carlApi.CreateOffer(107);
        await using var carl = await server.ConnectDispatcher("carl.banks");
        await using var d120 = await server.ConnectDriver(120);
        var answered = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        d120.Hub.On<JsonElement>("offer_created", e =>
        {
            if (EventLog.Offer(offer)(e))
            {
                // Not awaited in the handler: the client runs handlers one at a time.
                _ = d120.Hub.InvokeAsync<JsonElement>("driver_proposal", new { offer_id = offer, action = "view" })
                    .ContinueWith(t => t.IsCompletedSuccessfully ? answered.TrySetResult(t.Result) : answered.TrySetException(t.Exception!.InnerExceptions), TaskScheduler.Default);
            }
        });

        var sent = await carlApi.Post($"/api/offers/{offer}/send-to-drivers", new Dictionary<string, object> { ["driver_ids"] = new List<int> { 120 } });
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);

        Assert.Equal("viewed", (await answered.Task.WaitAsync(TimeSpan.FromSeconds(30))).GetProperty("status").GetString());
        await carl.Events.WaitFor("proposal_updated", e => EventLog.About(offer, 120)(e) && e.GetProperty("status").GetString() == "viewed");
        await HubKit.Settle();
        // The invitation's view was queued before the driver could answer, so it can't arrive after the answer's.
        var seen = carl.Events.All("proposal_updated", EventLog.About(offer, 120)).Select(e => e.GetProperty("status").GetString()).ToList();
        Assert.Equal("viewed", seen[^1]);
    }

    [Fact]
    public async Task A_send_whose_push_comes_after_the_offer_was_cancelled_tells_its_new_driver_nothing()
    {
        using var carlApi = await server.LoginAs("carl.banks");
        await using var carl = await server.ConnectDispatcher("carl.banks");
        await using var d107 = await server.ConnectDriver(107);
        await using var d120 = await server.ConnectDriver(120);
        var offer = await carlApi.CreateOffer(107);
        // The creation's push has read who was invited: it can't pick up the send's driver.
        await d107.Events.WaitFor("offer_created", EventLog.Offer(offer));

        // The send commits, then the cancel commits and is pushed before the send's push is queued.
        var held = await SendHeld("carl.banks", offer, 120);
        var cancelled = await carl.Hub.InvokeAsync<JsonElement>("offer_status_change", new { offer_id = offer, status = "cancelled" });
        Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());
        await d107.Events.WaitFor("offer_updated", e => EventLog.Offer(offer)(e) && e.GetProperty("status").GetString() == "cancelled");
        await held.Release();

        // The dispatchers' view of the new proposal is read again too: it says the offer is cancelled.
        await carl.Events.WaitFor("proposal_updated", e => EventLog.About(offer, 120)(e) && e.GetProperty("offer_status").GetString() == "cancelled");
        await HubKit.Settle();
        Assert.Empty(d120.Events.All("offer_created", EventLog.Offer(offer)));
        Assert.DoesNotContain(carl.Events.All("proposal_updated", EventLog.About(offer, 120)), e => e.GetProperty("offer_status").GetString() == "active");
    }

    [Fact]
    public async Task A_send_whose_push_comes_after_an_edit_brings_its_new_driver_the_offer_as_edited()
    {
        using var carlApi = await server.LoginAs("carl.banks");
        await using var d107 = await server.ConnectDriver(107);
        await using var d120 = await server.ConnectDriver(120);
        var offer = await carlApi.CreateOffer(107);
        await d107.Events.WaitFor("offer_created", EventLog.Offer(offer));

        var held = await SendHeld("carl.banks", offer, 120);
        var edit = await carlApi.Put($"/api/offers/{offer}", HubKit.OfferBody(new() { ["proposed_rate"] = 1700 }));
        Assert.Equal(HttpStatusCode.OK, edit.StatusCode);
        await d107.Events.WaitFor("offer_updated", e => EventLog.Offer(offer)(e) && e.GetProperty("proposed_rate").GetDecimal() == 1700m);
        await held.Release();

        var created = await d120.Events.WaitFor("offer_created", EventLog.Offer(offer));
        Assert.Equal(1700m, created.GetProperty("proposed_rate").GetDecimal());
        Assert.Equal("sent", created.GetProperty("my_proposal").GetProperty("status").GetString());
    }

    /// <summary>Sends the offer to <paramref name="driverId"/> as the REST call does, with its push held back.</summary>
    private async Task<HeldInvitations> SendHeld(string dispatcher, int offer, int driverId)
    {
        var held = new HeldInvitations(server.Services.GetRequiredService<HubLiveEvents>());
        using var scope = server.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        var user = await db.Users.SingleAsync(u => u.Username == dispatcher);
        var outcome = await SendToDrivers.Execute(db, held, scope.ServiceProvider.GetRequiredService<TimeProvider>(), new Caller(user.Id, user.Role, user.FullName), offer, [driverId],
            new SendToDrivers.LinkSettings("http://localhost", TimeSpan.FromHours(1), server.Services.GetRequiredService<OfferLinks>()),
            CancellationToken.None);
        Assert.IsType<SendToDrivers.Sent>(outcome);
        return held;
    }

    /// <summary>The real live events, but a send's push is queued only when the test says so.</summary>
    private sealed class HeldInvitations(HubLiveEvents live) : ILiveEvents
    {
        private Func<Task>? _push;

        public Task Release() => _push!();

        public Task DriversInvited(int offerId, IReadOnlyDictionary<int, OfferResponse> views, IReadOnlyList<ProposalResponse> proposals,
            IReadOnlyList<MessageResponse> messages, CancellationToken ct = default)
        {
            _push = () => live.DriversInvited(offerId, views, proposals, messages, CancellationToken.None);
            return Task.CompletedTask;
        }

        public Task OfferChanged(int offerId, bool created, CancellationToken ct = default) => live.OfferChanged(offerId, created, ct);

        public Task OfferAndProposalsChanged(int offerId, bool created, IReadOnlyCollection<int> proposalIds, IReadOnlyList<MessageResponse> messages,
            CancellationToken ct = default) => live.OfferAndProposalsChanged(offerId, created, proposalIds, messages, ct);

        public Task ProposalAnswered(int offerId, int driverId, int? version, IReadOnlyCollection<int> proposalIds, IReadOnlyList<MessageResponse> messages,
            CancellationToken ct = default) => live.ProposalAnswered(offerId, driverId, version, proposalIds, messages, ct);

        public Task ProposalChanged(int proposalId, CancellationToken ct = default) => live.ProposalChanged(proposalId, ct);

        public Task MessageStored(MessageResponse message, CancellationToken ct = default) => live.MessageStored(message, ct);

        public Task MessagesStoredNow(IReadOnlyList<MessageResponse> messages, Func<AppDb> db, CancellationToken ct = default) =>
            live.MessagesStoredNow(messages, db, ct);

        public Task MessagesRead(MessageReadEvent read, CancellationToken ct = default) => live.MessagesRead(read, ct);
    }

    [Fact]
    public async Task Booking_tells_every_other_invited_driver_at_once_that_the_load_is_taken()
    {
        using var carlApi = await server.LoginAs("carl.banks");
        var offer = await carlApi.CreateOffer(107, 120);
        await using var carl = await server.ConnectDispatcher("carl.banks");
        await using var d107 = await server.ConnectDriver(107);
        await using var d120 = await server.ConnectDriver(120);
        await using var leo = await server.ConnectDispatcher("leo.durand");

        var accepted = await d107.Hub.InvokeAsync<JsonElement>("driver_proposal", new { offer_id = offer, action = "accept" });
        Assert.Equal("accepted", accepted.GetProperty("status").GetString());
        var booked = await carl.Hub.InvokeAsync<JsonElement>("offer_status_change", new { offer_id = offer, status = "completed", driver_id = 107 });
        Assert.Equal(107, booked.GetProperty("booked_driver_id").GetInt32());

        var taken = await d120.Events.WaitFor("offer_updated", e => EventLog.Offer(offer)(e) && e.GetProperty("status").GetString() == "completed");
        Assert.True(taken.GetProperty("load_taken").GetBoolean());
        Assert.Equal(JsonValueKind.Null, taken.GetProperty("booked_driver_id").ValueKind);
        var mine = await d107.Events.WaitFor("offer_updated", e => EventLog.Offer(offer)(e) && e.GetProperty("status").GetString() == "completed");
        Assert.False(mine.GetProperty("load_taken").GetBoolean());
        Assert.Equal(107, mine.GetProperty("booked_driver_id").GetInt32());
        await carl.Events.WaitFor("offer_updated", e => EventLog.Offer(offer)(e) && e.GetProperty("status").GetString() == "completed");
        var takenMessage = await d120.Events.WaitFor("new_message", e => EventLog.About(offer, 120)(e) && e.GetProperty("message_type").GetString() == "system");
        Assert.Contains("booked", takenMessage.GetProperty("message").GetString(), StringComparison.Ordinal);
        await HubKit.Settle();
        Assert.Empty(leo.Events.AboutOffer(offer));
        Assert.Empty(d120.Events.All("new_message", EventLog.About(offer, 107)));
    }

    [Fact]
    public async Task Every_proposal_transition_reaches_the_dispatcher_side_and_that_driver_only()
    {
        using var carlApi = await server.LoginAs("carl.banks");
        var offer = await carlApi.CreateOffer(107, 120);
        await using var carl = await server.ConnectDispatcher("carl.banks");
        await using var admin = await server.ConnectDispatcher("vladyslav");
        await using var d107 = await server.ConnectDriver(107);
        await using var d120 = await server.ConnectDriver(120);

        await d107.Hub.InvokeAsync<JsonElement>("driver_proposal", new { offer_id = offer, action = "view" });
        await carl.Events.WaitFor("proposal_updated", e => EventLog.About(offer, 107)(e) && e.GetProperty("status").GetString() == "viewed");
        await d107.Hub.InvokeAsync<JsonElement>("driver_proposal", new { offer_id = offer, action = "counter", rate = 1800 });
        var countered = await carl.Events.WaitFor("proposal_updated", e => EventLog.About(offer, 107)(e) && e.GetProperty("status").GetString() == "counter_offered");
        Assert.Equal(1800m, countered.GetProperty("driver_proposed_rate").GetDecimal());
        Assert.Equal("107", countered.GetProperty("driver").GetProperty("truck_number").GetString());
        await admin.Events.WaitFor("proposal_updated", e => EventLog.About(offer, 107)(e) && e.GetProperty("status").GetString() == "counter_offered");
        var own = await d107.Events.WaitFor("proposal_updated", e => EventLog.About(offer, 107)(e) && e.GetProperty("status").GetString() == "counter_offered");
        Assert.Equal(JsonValueKind.Null, own.GetProperty("driver").ValueKind);

        var back = await carl.Hub.InvokeAsync<JsonElement>("driver_proposal", new { offer_id = offer, driver_id = 107, action = "counter", rate = 1650 });
        Assert.Equal(1650m, back.GetProperty("dispatcher_proposed_rate").GetDecimal());
        await d107.Events.WaitFor("proposal_updated", e => EventLog.About(offer, 107)(e) && e.GetProperty("dispatcher_proposed_rate").ValueKind == JsonValueKind.Number);
        await d107.Events.WaitFor("new_message", e => EventLog.About(offer, 107)(e) && e.GetProperty("message_type").GetString() == "rate_proposal");
        await d107.Hub.InvokeAsync<JsonElement>("driver_proposal", new { offer_id = offer, action = "reject" });
        await carl.Events.WaitFor("proposal_updated", e => EventLog.About(offer, 107)(e) && e.GetProperty("status").GetString() == "rejected");

        await HubKit.Settle();
        Assert.Empty(d120.Events.All("proposal_updated", EventLog.About(offer, 107)));
        Assert.Empty(d120.Events.All("new_message", EventLog.About(offer, 107)));
    }

    [Fact]
    public async Task Editing_and_cancelling_reach_everyone_invited_and_nobody_else()
    {
        using var carlApi = await server.LoginAs("carl.banks");
        var offer = await carlApi.CreateOffer(107, 120);
        await using var carl = await server.ConnectDispatcher("carl.banks");
        await using var d107 = await server.ConnectDriver(107);
        await using var d120 = await server.ConnectDriver(120);
        await using var d122 = await server.ConnectDriver(122);
        await using var leo = await server.ConnectDispatcher("leo.durand");

        var edit = await carlApi.Put($"/api/offers/{offer}", HubKit.OfferBody(new() { ["proposed_rate"] = 1700 }));
        Assert.Equal(HttpStatusCode.OK, edit.StatusCode);
        foreach (var client in new[] { carl, d107, d120 })
        {
            await client.Events.WaitFor("offer_updated", e => EventLog.Offer(offer)(e) && e.GetProperty("proposed_rate").GetDecimal() == 1700m);
        }

        var cancelled = await carl.Hub.InvokeAsync<JsonElement>("offer_status_change", new { offer_id = offer, status = "cancelled" });
        Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());
        foreach (var client in new[] { carl, d107, d120 })
        {
            await client.Events.WaitFor("offer_updated", e => EventLog.Offer(offer)(e) && e.GetProperty("status").GetString() == "cancelled");
        }
        await HubKit.Settle();
        Assert.Empty(leo.Events.AboutOffer(offer));
        Assert.Empty(d122.Events.AboutOffer(offer));
    }

    [Fact]
    public async Task Get_offer_details_answers_each_caller_with_their_own_view()
    {
        using var carlApi = await server.LoginAs("carl.banks");
        var offer = await carlApi.CreateOffer(107);
        await using var carl = await server.ConnectDispatcher("carl.banks");
        await using var d107 = await server.ConnectDriver(107);
        await using var d120 = await server.ConnectDriver(120);

        var forCarl = await carl.Hub.InvokeAsync<JsonElement>("get_offer_details", new { offer_id = offer });
        Assert.Equal(1, forCarl.GetProperty("counters").GetProperty("total").GetInt32());
        var forDriver = await d107.Hub.InvokeAsync<JsonElement>("get_offer_details", new { offer_id = offer });
        Assert.Equal("sent", forDriver.GetProperty("my_proposal").GetProperty("status").GetString());
        var refused = await Assert.ThrowsAsync<HubException>(() => d120.Hub.InvokeAsync<JsonElement>("get_offer_details", new { offer_id = offer }));
        Assert.Contains("Not found", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Offer_status_change_explains_what_it_takes_and_refuses_drivers()
    {
        using var carlApi = await server.LoginAs("carl.banks");
        var offer = await carlApi.CreateOffer(107);
        await using var carl = await server.ConnectDispatcher("carl.banks");
        await using var d107 = await server.ConnectDriver(107);

        var bad = await Assert.ThrowsAsync<HubException>(() => carl.Hub.InvokeAsync<JsonElement>("offer_status_change", new { offer_id = offer, status = "active" }));
        Assert.Contains("status must be cancelled", bad.Message, StringComparison.Ordinal);
        var notAccepted = await Assert.ThrowsAsync<HubException>(() => carl.Hub.InvokeAsync<JsonElement>("offer_status_change", new { offer_id = offer, status = "completed", driver_id = 107 }));
        Assert.Contains("Only a driver who accepted", notAccepted.Message, StringComparison.Ordinal);
        var driver = await Assert.ThrowsAsync<HubException>(() => d107.Hub.InvokeAsync<JsonElement>("offer_status_change", new { offer_id = offer, status = "cancelled" }));
        Assert.Contains("Not found", driver.Message, StringComparison.Ordinal);
        var state = await carl.Hub.InvokeAsync<JsonElement>("get_offer_details", new { offer_id = offer });
        Assert.Equal("active", state.GetProperty("status").GetString());
    }
}
