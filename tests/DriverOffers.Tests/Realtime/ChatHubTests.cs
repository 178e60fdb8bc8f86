using System.Net;
using System.Text.Json;
using DriverOffers.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace DriverOffers.Tests.Realtime;

public sealed class ChatHubTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static object Text(int offer, int driver, string message, string? clientId = null) =>
        new { offer_id = offer, driver_id = driver, message, client_message_id = clientId ?? Guid.NewGuid().ToString("N") };

    [Fact]
    public async Task Send_message_stores_then_reaches_both_sides_of_that_conversation_only_and_returns_the_stored_message()
    {
        using var carlApi = await server.LoginAs("carl.banks");
        var offer = await carlApi.CreateOffer(107, 120);
        await using var carl = await server.ConnectDispatcher("carl.banks");
        await using var admin = await server.ConnectDispatcher("vladyslav");
        await using var leo = await server.ConnectDispatcher("leo.durand");
        await using var d107 = await server.ConnectDriver(107);
        await using var d120 = await server.ConnectDriver(120);

        var stored = await d107.Hub.InvokeAsync<JsonElement>("send_message", Text(offer, 107, "Can you do 1800?"));

        var id = stored.GetProperty("id").GetInt64();
        Assert.True(id > 0);
        Assert.Equal("driver", stored.GetProperty("sender_type").GetString());
        Assert.True(stored.GetProperty("created_at").GetDateTime() > DateTime.UtcNow.AddMinutes(-1));
        Assert.True(server.Scoped(db => db.ChatMessages.Any(m => m.Id == id)));
        foreach (var client in new[] { carl, admin, d107 })
        {
            var seen = await client.Events.WaitFor("new_message", e => e.GetProperty("id").GetInt64() == id);
            Assert.Equal("Can you do 1800?", seen.GetProperty("message").GetString());
        }
        await HubKit.Settle();
        Assert.Empty(d120.Events.All("new_message", e => e.GetProperty("id").GetInt64() == id));
        Assert.Empty(leo.Events.AboutOffer(offer));
    }

    [Fact]
    public async Task A_driver_may_leave_their_own_driver_id_out_of_conversation_calls()
    {
        using var carlApi = await server.LoginAs("carl.banks");
        var offer = await carlApi.CreateOffer(107, 120);
        await using var carl = await server.ConnectDispatcher("carl.banks");
        await using var d107 = await server.ConnectDriver(107);

        var joined = await d107.Hub.InvokeAsync<JsonElement>("join_offer_chat", new { offer_id = offer });
        await d107.Hub.InvokeAsync("typing_start", new { offer_id = offer });
        var typing = await carl.Events.WaitFor("user_typing", EventLog.About(offer, 107));
        var stored = await d107.Hub.InvokeAsync<JsonElement>("send_message", new { offer_id = offer, message = "On my way", client_message_id = "no-driver-id" });
        var after = await d107.Hub.InvokeAsync<JsonElement>("get_messages_after", new { offer_id = offer, after_id = stored.GetProperty("id").GetInt64() - 1 });
        var left = await d107.Hub.InvokeAsync<JsonElement>("leave_offer_chat", new { offer_id = offer });
        var rival = await Assert.ThrowsAsync<HubException>(() => d107.Hub.InvokeAsync<JsonElement>("send_message",
            new { offer_id = offer, driver_id = 120, message = "Mine", client_message_id = "other-truck" }));
        var dispatcher = await Assert.ThrowsAsync<HubException>(() => carl.Hub.InvokeAsync<JsonElement>("join_offer_chat", new { offer_id = offer }));

        Assert.Equal(107, joined.GetProperty("driver_id").GetInt32());
        Assert.True(typing.GetProperty("is_typing").GetBoolean());
        Assert.Equal(107, stored.GetProperty("driver_id").GetInt32());
        await carl.Events.WaitFor("new_message", e => e.GetProperty("id").GetInt64() == stored.GetProperty("id").GetInt64());
        Assert.Equal(stored.GetProperty("id").GetInt64(), Assert.Single(after.EnumerateArray()).GetProperty("id").GetInt64());
        Assert.Equal(107, left.GetProperty("driver_id").GetInt32());
        Assert.EndsWith("Not found: no such offer or conversation, or it is not yours.", rival.Message, StringComparison.Ordinal);
        Assert.EndsWith("driver_id is required: a positive integer.", dispatcher.Message, StringComparison.Ordinal);
        Assert.False(server.Scoped(db => db.ChatMessages.Any(m => m.OfferId == offer && m.DriverId == 120 && m.Message == "Mine")));
    }

    [Fact]
    public async Task Send_message_without_a_client_message_id_stores_and_answers_the_message()
    {
        using var carlApi = await server.LoginAs("carl.banks");
        var offer = await carlApi.CreateOffer(107);
        await using var carl = await server.ConnectDispatcher("carl.banks");
        await using var d107 = await server.ConnectDriver(107);

        var stored = await d107.Hub.InvokeAsync<JsonElement>("send_message", new { offer_id = offer, driver_id = 107, message = "Loaded and rolling" });

        var id = stored.GetProperty("id").GetInt64();
        Assert.StartsWith("server-", stored.GetProperty("client_message_id").GetString(), StringComparison.Ordinal);
        Assert.Equal("Loaded and rolling", server.Scoped(db => db.ChatMessages.Single(m => m.Id == id).Message));
        await carl.Events.WaitFor("new_message", e => e.GetProperty("id").GetInt64() == id);
    }

    [Fact]
    public async Task A_message_posted_over_REST_reaches_hub_clients()
    {
        using var carlApi = await server.LoginAs("carl.banks");
        var offer = await carlApi.CreateOffer(107);
        await using var d107 = await server.ConnectDriver(107);

        var response = await carlApi.Post($"/api/offers/{offer}/chat/107", new { message = "Dock 4 please", client_message_id = "rest-1" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await response.Body()).GetProperty("id").GetInt64();

        var seen = await d107.Events.WaitFor("new_message", e => e.GetProperty("id").GetInt64() == id);
        Assert.Equal("dispatcher", seen.GetProperty("sender_type").GetString());
    }

    [Fact]
    public async Task The_same_client_message_id_over_hub_and_REST_stores_one_message()
    {
        using var carlApi = await server.LoginAs("carl.banks");
        var offer = await carlApi.CreateOffer(107);
        await using var carl = await server.ConnectDispatcher("carl.banks");
        await using var d107 = await server.ConnectDriver(107);
        var clientId = Guid.NewGuid().ToString("N");

        var first = await d107.Hub.InvokeAsync<JsonElement>("send_message", Text(offer, 107, "On my way", clientId));
        var again = await d107.Hub.InvokeAsync<JsonElement>("send_message", Text(offer, 107, "On my way", clientId));
        using var driverApi = server.Client(d107.Token);
        var viaRest = await driverApi.Post($"/api/offers/{offer}/chat/107", new { message = "On my way", client_message_id = clientId });

        Assert.Equal(HttpStatusCode.OK, viaRest.StatusCode);
        var id = first.GetProperty("id").GetInt64();
        Assert.Equal(id, again.GetProperty("id").GetInt64());
        Assert.Equal(id, (await viaRest.Body()).GetProperty("id").GetInt64());
        Assert.Equal(1, server.Scoped(db => db.ChatMessages.Count(m => m.ClientMessageId == clientId)));
        await carl.Events.WaitFor("new_message", e => e.GetProperty("id").GetInt64() == id);
        await HubKit.Settle();
        Assert.Single(carl.Events.All("new_message", e => e.GetProperty("client_message_id").GetString() == clientId));
    }

    [Fact]
    public async Task Mark_message_read_marks_up_to_that_message_tells_both_sides_and_keeps_unread_counts_right()
    {
        using var carlApi = await server.LoginAs("carl.banks");
        var offer = await carlApi.CreateOffer(107, 120);
        await using var carl = await server.ConnectDispatcher("carl.banks");
        await using var d107 = await server.ConnectDriver(107);
        await using var d120 = await server.ConnectDriver(120);
        var ids = new List<long>();
        for (var i = 1; i <= 3; i++)
        {
            ids.Add((await d107.Hub.InvokeAsync<JsonElement>("send_message", Text(offer, 107, $"message {i}"))).GetProperty("id").GetInt64());
        }
        var before = await carl.Hub.InvokeAsync<JsonElement>("get_offer_details", new { offer_id = offer });
        Assert.Equal(3, before.GetProperty("unread_count").GetInt32());

        var state = await carl.Hub.InvokeAsync<JsonElement>("mark_message_read", new { message_id = ids[1] });

        Assert.Equal(ids[1], state.GetProperty("up_to_id").GetInt64());
        Assert.Equal(2, state.GetProperty("marked").GetInt32());
        Assert.Equal(1, state.GetProperty("unread_count").GetInt32());
        var read = await d107.Events.WaitFor("message_read", EventLog.About(offer, 107));
        Assert.Equal("dispatcher", read.GetProperty("reader_type").GetString());
        Assert.Equal(ids[1], read.GetProperty("up_to_id").GetInt64());
        await carl.Events.WaitFor("message_read", EventLog.About(offer, 107));
        var after = await carl.Hub.InvokeAsync<JsonElement>("get_offer_details", new { offer_id = offer });
        Assert.Equal(1, after.GetProperty("unread_count").GetInt32());

        // Marking an older message never moves the read point back.
        var older = await carl.Hub.InvokeAsync<JsonElement>("mark_message_read", new { message_id = ids[0] });
        Assert.Equal(ids[1], older.GetProperty("up_to_id").GetInt64());
        await HubKit.Settle();
        Assert.Single(d107.Events.All("message_read", EventLog.About(offer, 107)));
        Assert.Empty(d120.Events.All("message_read"));
    }

    [Fact]
    public async Task Invalid_messages_get_a_clear_error_and_nothing_is_stored()
    {
        using var carlApi = await server.LoginAs("carl.banks");
        var offer = await carlApi.CreateOffer(107);
        await using var d107 = await server.ConnectDriver(107);
        var count = server.Scoped(db => db.ChatMessages.Count(m => m.OfferId == offer));

        var empty = await Assert.ThrowsAsync<HubException>(() => d107.Hub.InvokeAsync<JsonElement>("send_message", Text(offer, 107, "  ")));
        Assert.Contains("message is required", empty.Message, StringComparison.Ordinal);
        var tooLong = await Assert.ThrowsAsync<HubException>(() => d107.Hub.InvokeAsync<JsonElement>("send_message", Text(offer, 107, new string('x', 4001))));
        Assert.Contains("message must be 1..4000 characters", tooLong.Message, StringComparison.Ordinal);
        var emptyId = await Assert.ThrowsAsync<HubException>(() => d107.Hub.InvokeAsync<JsonElement>("send_message", Text(offer, 107, "hi", "")));
        Assert.Contains("client_message_id is required", emptyId.Message, StringComparison.Ordinal);
        var huge = await Assert.ThrowsAnyAsync<Exception>(() => d107.Hub.InvokeAsync<JsonElement>("send_message", Text(offer, 107, new string('x', 40_000))));

        Assert.Equal(count, server.Scoped(db => db.ChatMessages.Count(m => m.OfferId == offer)));
        Assert.NotNull(huge);
    }

    [Fact]
    public async Task Chat_on_a_cancelled_offer_is_refused_with_the_reason()
    {
        using var carlApi = await server.LoginAs("carl.banks");
        var offer = await carlApi.CreateOffer(107);
        Assert.Equal(HttpStatusCode.OK, (await carlApi.DeleteAsync($"/api/offers/{offer}")).StatusCode);
        await using var d107 = await server.ConnectDriver(107);

        var error = await Assert.ThrowsAsync<HubException>(() => d107.Hub.InvokeAsync<JsonElement>("send_message", Text(offer, 107, "still there?")));

        Assert.Contains("cancelled", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Join_offer_chat_answers_what_the_chat_header_needs()
    {
        using var carlApi = await server.LoginAs("carl.banks");
        var offer = await carlApi.CreateOffer(107);
        await using var carl = await server.ConnectDispatcher("carl.banks");
        await using var d107 = await server.ConnectDriver(107);
        var last = await d107.Hub.InvokeAsync<JsonElement>("send_message", Text(offer, 107, "hello"));

        var joined = await carl.Hub.InvokeAsync<JsonElement>("join_offer_chat", new { offer_id = offer, driver_id = 107 });

        Assert.Equal(last.GetProperty("id").GetInt64(), joined.GetProperty("last_message_id").GetInt64());
        Assert.Equal(1, joined.GetProperty("unread_count").GetInt32());
        var counterpart = joined.GetProperty("counterpart");
        Assert.Equal("driver", counterpart.GetProperty("user_type").GetString());
        Assert.Equal(107, counterpart.GetProperty("id").GetInt32());
        Assert.True(counterpart.GetProperty("is_online").GetBoolean());
        var left = await carl.Hub.InvokeAsync<JsonElement>("leave_offer_chat", new { offer_id = offer, driver_id = 107 });
        Assert.Equal(offer, left.GetProperty("offer_id").GetInt32());
    }

    [Fact]
    public async Task Get_messages_after_returns_exactly_the_later_messages_in_order()
    {
        using var carlApi = await server.LoginAs("carl.banks");
        var offer = await carlApi.CreateOffer(107);
        await using var carl = await server.ConnectDispatcher("carl.banks");
        var ids = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await carl.Hub.InvokeAsync<JsonElement>("send_message", Text(offer, 107, $"m{i}"))).GetProperty("id").GetInt64());
        }

        var page = await carl.Hub.InvokeAsync<JsonElement>("get_messages_after", new { offer_id = offer, driver_id = 107, after_id = ids[1], limit = 2 });

        Assert.Equal([ids[2], ids[3]], page.EnumerateArray().Select(m => m.GetProperty("id").GetInt64()));
        var bad = await Assert.ThrowsAsync<HubException>(() => carl.Hub.InvokeAsync<JsonElement>("get_messages_after", new { offer_id = offer, driver_id = 107 }));
        Assert.Contains("after_id is required", bad.Message, StringComparison.Ordinal);
    }
}
