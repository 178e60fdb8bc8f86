using System.Net;
using DriverOffers.Tests.Infrastructure;

namespace DriverOffers.Tests.Features.Chat;

public sealed class ChatTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private async Task<(HttpClient Carl, int OfferId, int Driver)> Conversation()
    {
        var carl = await server.LoginAs("carl.banks");
        var driver = server.AddTrucks(1)[0];
        var offer = await carl.CreateOffer(b => b["driver_ids"] = new[] { driver });
        return (carl, offer.Id(), driver);
    }

    private static Task<HttpResponseMessage> Say(HttpClient client, int offerId, int driverId, string message, string? clientId = null) =>
        client.Post($"/api/offers/{offerId}/chat/{driverId}", new { message, client_message_id = clientId ?? Guid.NewGuid().ToString("N") });

    [Fact]
    public async Task Dispatcher_and_driver_exchange_messages_in_id_order()
    {
        var (carl, offerId, driverId) = await Conversation();
        using var driver = server.Driver(driverId);
        var first = await Say(carl, offerId, driverId, "  Can you make Tuesday?  ");
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var stored = await first.Body();
        Assert.Equal("Can you make Tuesday?", stored.Str("message"));
        Assert.Equal("dispatcher", stored.Str("sender_type"));
        Assert.Equal(18, stored.GetProperty("sender_id").GetInt32());
        Assert.Equal(HttpStatusCode.Created, (await Say(driver, offerId, driverId, "Yes")).StatusCode);
        var chat = await driver.Chat(offerId, driverId);
        Assert.Equal(["system", "text", "text"], chat.Select(m => m.Str("message_type")));
        Assert.Equal(chat.Select(m => m.GetProperty("id").GetInt64()).Order(), chat.Select(m => m.GetProperty("id").GetInt64()));
        Assert.Equal("driver", chat[^1].Str("sender_type"));
        carl.Dispose();
    }

    [Fact]
    public async Task A_message_with_a_NUL_or_bidi_override_character_is_refused_naming_message_and_the_messages_sent_with_it_are_stored()
    {
        var (carl, offerId, driverId) = await Conversation();
        var other = server.AddTrucks(1)[0];
        await carl.SendTo(offerId, other);
        using var driver = server.Driver(other);
        // Sent together, so the batched writer may store them in one transaction: the refused one must not take the other
        // down with it (PostgreSQL refuses NUL in text and failed the whole batch).
        var responses = await Task.WhenAll(
            Say(carl, offerId, driverId, "a\u0000b", "nul-1"),
            Say(driver, offerId, other, "Fine by me", "fine-1"),
            Say(carl, offerId, driverId, "pay \u202e0091$", "bidi-1"));
        Assert.Equal(HttpStatusCode.BadRequest, responses[0].StatusCode);
        var (field, message) = await responses[0].SingleError();
        Assert.Equal("message", field);
        Assert.Contains("U+0000", message);
        Assert.Equal(HttpStatusCode.Created, responses[1].StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, responses[2].StatusCode);
        Assert.Equal("message", (await responses[2].SingleError()).Field);
        Assert.Equal(0, server.Scoped(db => db.ChatMessages.Count(m => m.ClientMessageId == "nul-1" || m.ClientMessageId == "bidi-1")));
        carl.Dispose();
    }

    [Fact]
    public async Task Resending_the_same_client_message_id_returns_the_stored_message_not_a_second_row()
    {
        var (carl, offerId, driverId) = await Conversation();
        var first = await Say(carl, offerId, driverId, "Rate is firm", "cm-1");
        var second = await Say(carl, offerId, driverId, "Rate is firm", "cm-1");
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal((await first.Body()).GetProperty("id").GetInt64(), (await second.Body()).GetProperty("id").GetInt64());
        Assert.Equal(1, server.Scoped(db => db.ChatMessages.Count(m => m.OfferId == offerId && m.ClientMessageId == "cm-1")));
        carl.Dispose();
    }

    [Fact]
    public async Task Twenty_parallel_resends_store_one_row()
    {
        var (carl, offerId, driverId) = await Conversation();
        using var driver = server.Driver(driverId);
        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Say(driver, offerId, driverId, "On my way", "burst-1")));
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.Equal(19, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        var ids = await Task.WhenAll(responses.Select(async r => (await r.Body()).GetProperty("id").GetInt64()));
        Assert.Single(ids.Distinct());
        Assert.Equal(1, server.Scoped(db => db.ChatMessages.Count(m => m.OfferId == offerId && m.ClientMessageId == "burst-1")));
        carl.Dispose();
    }

    [Fact]
    public async Task History_pages_by_after_id_before_id_and_limit_in_ascending_order()
    {
        var (carl, offerId, driverId) = await Conversation();
        for (var i = 1; i <= 7; i++)
        {
            await Say(carl, offerId, driverId, $"m{i}");
        }
        var all = await carl.Chat(offerId, driverId);
        Assert.Equal(8, all.Length);
        long IdOf(int index) => all[index].GetProperty("id").GetInt64();
        string[] Texts(System.Text.Json.JsonElement[] page) => page.Select(m => m.Str("message")).ToArray();

        Assert.Equal(["m6", "m7"], Texts(await carl.Chat(offerId, driverId, "?limit=2")));
        Assert.Equal(["m3", "m4", "m5"], Texts(await carl.Chat(offerId, driverId, $"?after_id={IdOf(2)}&limit=3")));
        Assert.Equal(["m2", "m3"], Texts(await carl.Chat(offerId, driverId, $"?before_id={IdOf(4)}&limit=2")));
        Assert.Equal(["m3"], Texts(await carl.Chat(offerId, driverId, $"?after_id={IdOf(2)}&before_id={IdOf(4)}")));
        Assert.Empty(await carl.Chat(offerId, driverId, $"?after_id={IdOf(7)}"));
        var bad = await carl.GetAsync($"/api/offers/{offerId}/chat/{driverId}?limit=201&after_id=-1");
        Assert.Equal(["after_id", "limit"], (await bad.ErrorFields()).Order());
        carl.Dispose();
    }

    [Theory]
    [InlineData("after_id=abc", "after_id")]
    [InlineData("after_id=99999999999999999999", "after_id")]
    [InlineData("before_id=1.5", "before_id")]
    [InlineData("limit=x", "limit")]
    public async Task A_paging_value_that_is_not_a_whole_number_names_the_field_and_what_is_allowed(string query, string field)
    {
        var (carl, offerId, driverId) = await Conversation();
        var response = await carl.GetAsync($"/api/offers/{offerId}/chat/{driverId}?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var (name, message) = await response.SingleError();
        Assert.Equal(field, name);
        Assert.StartsWith($"{field} must be a whole number", message, StringComparison.Ordinal);
        carl.Dispose();
    }

    [Fact]
    public async Task Mark_read_covers_the_other_sides_messages_up_to_the_id_and_never_moves_back()
    {
        var (carl, offerId, driverId) = await Conversation();
        using var driver = server.Driver(driverId);
        var ids = new List<long>();
        for (var i = 1; i <= 3; i++)
        {
            ids.Add((await (await Say(carl, offerId, driverId, $"d{i}")).Body()).GetProperty("id").GetInt64());
        }
        var mine = (await (await Say(driver, offerId, driverId, "mine")).Body()).GetProperty("id").GetInt64();
        Assert.Equal(3, (await (await driver.GetAsync($"/api/offers/{offerId}")).Body()).GetProperty("unread_count").GetInt32());

        var read = await (await driver.PutAsync($"/api/chat/{ids[1]}/read", null)).Body();
        Assert.Equal(ids[1], read.GetProperty("up_to_id").GetInt64());
        Assert.Equal(2, read.GetProperty("marked").GetInt32());
        Assert.Equal(1, read.GetProperty("unread_count").GetInt32());
        Assert.Equal("driver", read.Str("reader_type"));

        var back = await (await driver.PutAsync($"/api/chat/{ids[0]}/read", null)).Body();
        Assert.Equal(ids[1], back.GetProperty("up_to_id").GetInt64());
        Assert.Equal(0, back.GetProperty("marked").GetInt32());
        Assert.Equal(1, back.GetProperty("unread_count").GetInt32());

        var chat = await carl.Chat(offerId, driverId);
        Assert.True(chat.Single(m => m.GetProperty("id").GetInt64() == ids[1]).GetProperty("is_read").GetBoolean());
        Assert.False(chat.Single(m => m.GetProperty("id").GetInt64() == ids[2]).GetProperty("is_read").GetBoolean());
        // The driver's own message is only read when the dispatcher's side marks it.
        Assert.False(chat.Single(m => m.GetProperty("id").GetInt64() == mine).GetProperty("is_read").GetBoolean());
        Assert.Equal(1, (await (await carl.GetAsync($"/api/offers/{offerId}")).Body()).GetProperty("unread_count").GetInt32());
        await carl.PutAsync($"/api/chat/{mine}/read", null);
        Assert.Equal(0, (await (await carl.GetAsync($"/api/offers/{offerId}")).Body()).GetProperty("unread_count").GetInt32());
        carl.Dispose();
    }

    [Fact]
    public async Task Another_drivers_conversation_answers_exactly_like_a_missing_one()
    {
        var (carl, offerId, driverA) = await Conversation();
        var driverB = server.AddTrucks(1)[0];
        await carl.SendTo(offerId, driverB);
        var messageId = (await (await Say(carl, offerId, driverA, "for A only")).Body()).GetProperty("id").GetInt64();
        using var b = server.Driver(driverB);
        await OfferApi.AssertSameRefusal(await b.GetAsync($"/api/offers/{offerId}/chat/999999"), await b.GetAsync($"/api/offers/{offerId}/chat/{driverA}"));
        await OfferApi.AssertSameRefusal(await Say(b, 987_654, driverA, "hi"), await Say(b, offerId, driverA, "hi"));
        await OfferApi.AssertSameRefusal(await b.PutAsync("/api/chat/98765432/read", null), await b.PutAsync($"/api/chat/{messageId}/read", null));
        Assert.Equal(HttpStatusCode.NotFound, (await b.GetAsync($"/api/offers/{offerId}/chat/{driverA}")).StatusCode);
        using var leo = await server.LoginAs("leo.durand");
        await OfferApi.AssertSameRefusal(await leo.GetAsync($"/api/offers/987654/chat/{driverA}"), await leo.GetAsync($"/api/offers/{offerId}/chat/{driverA}"));
        Assert.False(server.Scoped(db => db.ChatMessages.Single(m => m.Id == messageId).IsRead));
        carl.Dispose();
    }

    [Theory]
    [InlineData("   ", "c1", "message")]
    [InlineData("x4001", "c1", "message")]
    [InlineData("hello", "", "client_message_id")]
    [InlineData("hello", "x65", "client_message_id")]
    public async Task Invalid_messages_name_the_field_and_store_nothing(string message, string clientId, string field)
    {
        var (carl, offerId, driverId) = await Conversation();
        var body = new
        {
            message = message == "x4001" ? new string('x', 4001) : message,
            client_message_id = clientId == "x65" ? new string('c', 65) : clientId,
        };
        var response = await carl.Post($"/api/offers/{offerId}/chat/{driverId}", body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal([field], await response.ErrorFields());
        Assert.Single(await carl.Chat(offerId, driverId));
        carl.Dispose();
    }

    [Fact]
    public async Task A_message_without_a_client_message_id_is_stored_under_one_the_server_gives_it()
    {
        var (carl, offerId, driverId) = await Conversation();

        var first = await carl.Post($"/api/offers/{offerId}/chat/{driverId}", new { message = "Where are you now?" });
        var again = await carl.Post($"/api/offers/{offerId}/chat/{driverId}", new { message = "Where are you now?" });

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        var stored = await first.Body();
        var given = stored.GetProperty("client_message_id").GetString()!;
        Assert.StartsWith("server-", given, StringComparison.Ordinal);
        Assert.NotEqual(given, (await again.Body()).GetProperty("client_message_id").GetString());
        var resent = await carl.Post($"/api/offers/{offerId}/chat/{driverId}", new { message = "Where are you now?", client_message_id = given });
        Assert.Equal(HttpStatusCode.OK, resent.StatusCode);
        Assert.Equal(stored.GetProperty("id").GetInt64(), (await resent.Body()).GetProperty("id").GetInt64());
        Assert.Equal(3, (await carl.Chat(offerId, driverId)).Length);
        carl.Dispose();
    }

    [Fact]
    public async Task Sender_fields_can_not_be_set_by_the_client()
    {
        var (carl, offerId, driverId) = await Conversation();
        var response = await carl.Post($"/api/offers/{offerId}/chat/{driverId}", new { message = "x", client_message_id = "c", sender_id = 1 });
        Assert.Equal(["sender_id"], await response.ErrorFields());
        carl.Dispose();
    }

    [Fact]
    public async Task Chat_closes_on_a_cancelled_offer_and_for_drivers_who_were_not_booked()
    {
        var (carl, offerId, driverId) = await Conversation();
        await carl.DeleteAsync($"/api/offers/{offerId}");
        var refused = await Say(carl, offerId, driverId, "still there?");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("cancelled", (await refused.Body()).GetProperty("current").Str("status"));

        var drivers = server.AddTrucks(2);
        var offer = await carl.CreateOffer(b => b["driver_ids"] = drivers);
        using var winner = server.Driver(drivers[0]);
        await winner.Respond(await carl.ProposalId(offer.Id(), drivers[0]), "accept");
        await carl.Post($"/api/offers/{offer.Id()}/book", new { driver_id = drivers[0] });
        Assert.Equal(HttpStatusCode.Created, (await Say(winner, offer.Id(), drivers[0], "Loaded")).StatusCode);
        using var loser = server.Driver(drivers[1]);
        Assert.Equal(HttpStatusCode.Conflict, (await Say(loser, offer.Id(), drivers[1], "Still available?")).StatusCode);
        carl.Dispose();
    }

    [Fact]
    public async Task Sends_to_open_and_closed_conversations_at_once_each_get_their_own_conversations_answer()
    {
        // Sent together, so the writer stores them in shared batches that look several offers up at once.
        var open = new List<(HttpClient Carl, int OfferId, int Driver)>();
        for (var i = 0; i < 3; i++)
        {
            open.Add(await Conversation());
        }
        var (carl, cancelledOffer, cancelledDriver) = await Conversation();
        await carl.DeleteAsync($"/api/offers/{cancelledOffer}");
        var drivers = server.AddTrucks(2);
        var booked = (await carl.CreateOffer(b => b["driver_ids"] = drivers)).Id();
        using var winner = server.Driver(drivers[0]);
        using var loser = server.Driver(drivers[1]);
        await winner.Respond(await carl.ProposalId(booked, drivers[0]), "accept");
        await carl.Post($"/api/offers/{booked}/book", new { driver_id = drivers[0] });

        var sends = new List<(int OfferId, int DriverId, HttpStatusCode Expected, Task<HttpResponseMessage> Response)>();
        for (var round = 0; round < 5; round++)
        {
            foreach (var (client, offerId, driverId) in open)
            {
                sends.Add((offerId, driverId, HttpStatusCode.Created, Say(client, offerId, driverId, $"round {round}")));
            }
            sends.Add((cancelledOffer, cancelledDriver, HttpStatusCode.Conflict, Say(carl, cancelledOffer, cancelledDriver, $"round {round}")));
            sends.Add((booked, drivers[0], HttpStatusCode.Created, Say(winner, booked, drivers[0], $"round {round}")));
            sends.Add((booked, drivers[1], HttpStatusCode.Conflict, Say(loser, booked, drivers[1], $"round {round}")));
        }
        await Task.WhenAll(sends.Select(s => s.Response));

        foreach (var (offerId, driverId, expected, response) in sends)
        {
            var r = await response;
            Assert.True(expected == r.StatusCode, $"{offerId}/{driverId}: {r.StatusCode} {await r.Content.ReadAsStringAsync()}");
            if (expected == HttpStatusCode.Created)
            {
                var stored = await r.Body();
                Assert.Equal(offerId, stored.GetProperty("offer_id").GetInt32());
                Assert.Equal(driverId, stored.GetProperty("driver_id").GetInt32());
            }
        }
        foreach (var (offerId, driverId) in open.Select(c => (c.OfferId, c.Driver)).Append((booked, drivers[0])))
        {
            Assert.Equal(5, server.Scoped(db => db.ChatMessages.Count(m => m.OfferId == offerId && m.DriverId == driverId && m.MessageType == "text")));
        }
        Assert.Equal(0, server.Scoped(db => db.ChatMessages.Count(m => m.OfferId == cancelledOffer && m.MessageType == "text")));
        Assert.Equal(0, server.Scoped(db => db.ChatMessages.Count(m => m.OfferId == booked && m.DriverId == drivers[1] && m.MessageType == "text")));
        foreach (var (client, _, _) in open)
        {
            client.Dispose();
        }
        carl.Dispose();
    }
}
