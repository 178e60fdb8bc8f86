using System.Text.Json;
using DriverOffers.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace DriverOffers.Tests.Realtime;

/// <summary>Every hub method is authorized against the data; a refusal changes nothing and leaks nothing.</summary>
public sealed class HubAccessTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task A_driver_is_refused_every_method_on_another_drivers_conversation_and_hears_nothing_of_it()
    {
        using var carlApi = await server.LoginAs("carl.banks");
        var shared = await carlApi.CreateOffer(107, 120);
        var only107 = await carlApi.CreateOffer(107);
        await using var carl = await server.ConnectDispatcher("carl.banks");
        await using var d107 = await server.ConnectDriver(107);
        await using var intruder = await server.ConnectDriver(120);
        var message = await d107.Hub.InvokeAsync<JsonElement>("send_message",
            new { offer_id = shared, driver_id = 107, message = "private", client_message_id = "p-1" });
        var proposal107 = await carlApi.ProposalIdOf(shared, 107);
        var conversation = new { offer_id = shared, driver_id = 107 };
        var before = server.Scoped(db => (db.ChatMessages.Count(), db.Proposals.Single(p => p.Id == proposal107).Status));

        var attempts = new (string Method, object Argument)[]
        {
            ("join_offer_chat", conversation),
            ("leave_offer_chat", conversation),
            ("typing_start", conversation),
            ("typing_stop", conversation),
            ("send_message", new { offer_id = shared, driver_id = 107, message = "hi", client_message_id = "x-1" }),
            ("get_messages_after", new { offer_id = shared, driver_id = 107, after_id = 0 }),
            ("mark_message_read", new { message_id = message.GetProperty("id").GetInt64() }),
            ("driver_proposal", new { proposal_id = proposal107, action = "reject" }),
            ("driver_proposal", new { offer_id = shared, driver_id = 107, action = "accept" }),
            ("driver_proposal", new { offer_id = only107, action = "view" }),
            ("get_offer_details", new { offer_id = only107 }),
            ("join_offer_chat", new { offer_id = only107, driver_id = 120 }),
            ("offer_status_change", new { offer_id = shared, status = "cancelled" }),
        };
        foreach (var (method, argument) in attempts)
        {
            var error = await Assert.ThrowsAsync<HubException>(() => intruder.Hub.InvokeAsync<object?>(method, argument));
            Assert.True(error.Message.Contains("Not found", StringComparison.Ordinal), $"{method}: {error.Message}");
        }

        Assert.Equal(before, server.Scoped(db => (db.ChatMessages.Count(), db.Proposals.Single(p => p.Id == proposal107).Status)));
        // The real conversation goes on; the intruder hears nothing of it.
        await d107.Hub.InvokeAsync("typing_start", conversation);
        await carl.Hub.InvokeAsync<JsonElement>("send_message", new { offer_id = shared, driver_id = 107, message = "for 107", client_message_id = "c-1" });
        await carl.Hub.InvokeAsync<JsonElement>("mark_message_read", new { message_id = message.GetProperty("id").GetInt64() });
        await d107.Hub.InvokeAsync<JsonElement>("driver_proposal", new { offer_id = shared, action = "counter", rate = 1900 });
        await d107.Events.WaitFor("proposal_updated", e => EventLog.About(shared, 107)(e) && e.GetProperty("status").GetString() == "counter_offered");
        await carl.Events.WaitFor("user_typing", EventLog.About(shared, 107));
        await HubKit.Settle();
        foreach (var name in new[] { "new_message", "user_typing", "message_read", "proposal_updated" })
        {
            Assert.Empty(intruder.Events.All(name, EventLog.About(shared, 107)));
        }
        Assert.Empty(intruder.Events.AboutOffer(only107));
        Assert.Equal(HubConnectionState.Connected, intruder.Hub.State);
    }

    [Fact]
    public async Task A_dispatcher_is_refused_another_dispatchers_offer_but_an_admin_may_use_it()
    {
        using var carlApi = await server.LoginAs("carl.banks");
        var offer = await carlApi.CreateOffer(107);
        await using var leo = await server.ConnectDispatcher("leo.durand");
        await using var admin = await server.ConnectDispatcher("vladyslav");
        var conversation = new { offer_id = offer, driver_id = 107 };

        foreach (var (method, argument) in new (string, object)[]
        {
            ("join_offer_chat", conversation),
            ("send_message", new { offer_id = offer, driver_id = 107, message = "hi", client_message_id = "leo-1" }),
            ("get_offer_details", new { offer_id = offer }),
            ("offer_status_change", new { offer_id = offer, status = "cancelled" }),
            ("driver_proposal", new { offer_id = offer, driver_id = 107, action = "counter", rate = 1000 }),
        })
        {
            var error = await Assert.ThrowsAsync<HubException>(() => leo.Hub.InvokeAsync<object?>(method, argument));
            Assert.True(error.Message.Contains("Not found", StringComparison.Ordinal), $"{method}: {error.Message}");
        }

        await admin.Hub.InvokeAsync<JsonElement>("join_offer_chat", conversation);
        var details = await admin.Hub.InvokeAsync<JsonElement>("get_offer_details", new { offer_id = offer });
        Assert.Equal("active", details.GetProperty("status").GetString());
    }
}
