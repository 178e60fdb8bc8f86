using System.Text.Json;
using DriverOffers.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace DriverOffers.Tests.Realtime;

/// <summary>The story, end to end: Carl and the driver of truck 107 (signed in through a real offer link).</summary>
public sealed class DispatcherAndDriverLiveTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Carl_and_the_driver_of_107_negotiate_live_and_120_sees_the_load_taken()
    {
        using var carlApi = await server.LoginAs("carl.banks");
        var firstOffer = await carlApi.CreateOfferWithLinks(107, 120);
        string LinkOf(int driver) => firstOffer.GetProperty("drivers").EnumerateArray()
            .Single(d => d.GetProperty("driver_id").GetInt32() == driver).GetProperty("link").GetString()!;
        await using var driver = await server.Connect(await server.DriverTokenFromLink(LinkOf(107)));
        await using var other = await server.Connect(await server.DriverTokenFromLink(LinkOf(120)));
        await using var carl = await server.ConnectDispatcher("carl.banks");

        // The driver sees the offer arrive live.
        var offer = await carlApi.CreateOffer(107, 120);
        await driver.Events.WaitFor("offer_created", EventLog.Offer(offer));
        var conversation = new { offer_id = offer, driver_id = 107 };
        await driver.Hub.InvokeAsync<JsonElement>("join_offer_chat", conversation);
        await carl.Hub.InvokeAsync<JsonElement>("join_offer_chat", conversation);

        // Types (Carl sees typing), sends (Carl sees it and marks it read; the driver sees it read), counters.
        await driver.Hub.InvokeAsync("typing_start", conversation);
        await carl.Events.WaitFor("user_typing", e => EventLog.About(offer, 107)(e) && e.GetProperty("is_typing").GetBoolean());
        var sent = await driver.Hub.InvokeAsync<JsonElement>("send_message",
            new { offer_id = offer, driver_id = 107, message = "I can take it for 1900", client_message_id = Guid.NewGuid().ToString() });
        var id = sent.GetProperty("id").GetInt64();
        await carl.Events.WaitFor("new_message", e => e.GetProperty("id").GetInt64() == id);
        await carl.Events.WaitFor("user_typing", e => EventLog.About(offer, 107)(e) && !e.GetProperty("is_typing").GetBoolean(), seconds: 5);
        await carl.Hub.InvokeAsync<JsonElement>("mark_message_read", new { message_id = id });
        var read = await driver.Events.WaitFor("message_read", EventLog.About(offer, 107));
        Assert.True(read.GetProperty("up_to_id").GetInt64() >= id);
        await driver.Hub.InvokeAsync<JsonElement>("driver_proposal", new { offer_id = offer, action = "counter", rate = 1900 });
        await carl.Events.WaitFor("proposal_updated", e => EventLog.About(offer, 107)(e) && e.GetProperty("status").GetString() == "counter_offered");

        // Carl books 107 at the counter; the driver of 120 sees the load taken at once.
        await carl.Hub.InvokeAsync<JsonElement>("offer_status_change", new { offer_id = offer, status = "completed", driver_id = 107 });
        var taken = await other.Events.WaitFor("offer_updated", e => EventLog.Offer(offer)(e) && e.GetProperty("load_taken").GetBoolean());
        Assert.Equal("completed", taken.GetProperty("status").GetString());
        var mine = await driver.Events.WaitFor("offer_updated", e => EventLog.Offer(offer)(e) && e.GetProperty("status").GetString() == "completed");
        Assert.Equal(1900m, mine.GetProperty("booked_rate").GetDecimal());
    }
}
