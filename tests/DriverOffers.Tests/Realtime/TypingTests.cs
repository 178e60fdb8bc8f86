using System.Net;
using System.Text.Json;
using DriverOffers.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace DriverOffers.Tests.Realtime;

public sealed class TypingTests(FakeClockServerFixture server) : IClassFixture<FakeClockServerFixture>
{
    [Fact]
    public async Task Driver_typing_reaches_the_dispatcher_side_of_that_conversation_only()
    {
        var offer = server.SeedOffer(HubKit.Carl, 107, 120);
        await using var carl = await server.ConnectDispatcher("carl.banks");
        await using var admin = await server.ConnectDispatcher("vladyslav");
        await using var leo = await server.ConnectDispatcher("leo.durand");
        await using var other = await server.ConnectDriver(120);
        await using var driver = await server.ConnectDriver(107);

        await driver.Hub.InvokeAsync("typing_start", new { offer_id = offer, driver_id = 107 });

        var typing = await carl.Events.WaitFor("user_typing", e => e.GetProperty("offer_id").GetInt32() == offer);
        Assert.Equal(offer, typing.GetProperty("offer_id").GetInt32());
        Assert.Equal(107, typing.GetProperty("driver_id").GetInt32());
        Assert.Equal("driver", typing.GetProperty("user_type").GetString());
        Assert.Equal(107, typing.GetProperty("user_id").GetInt32());
        Assert.True(typing.GetProperty("is_typing").GetBoolean());
        await admin.Events.WaitFor("user_typing", e => e.GetProperty("offer_id").GetInt32() == offer);
        await HubKit.Settle();
        Assert.Empty(leo.Events.All("user_typing", e => e.GetProperty("offer_id").GetInt32() == offer));
        Assert.Empty(other.Events.All("user_typing", e => e.GetProperty("offer_id").GetInt32() == offer));
        Assert.Empty(driver.Events.All("user_typing", e => e.GetProperty("offer_id").GetInt32() == offer));
    }

    [Fact]
    public async Task Dispatcher_typing_reaches_that_driver_only()
    {
        var offer = server.SeedOffer(HubKit.Carl, 107, 120);
        await using var carl = await server.ConnectDispatcher("carl.banks");
        await using var driver = await server.ConnectDriver(107);
        await using var other = await server.ConnectDriver(120);

        await carl.Hub.InvokeAsync("typing_start", new { offer_id = offer, driver_id = 107 });

        var typing = await driver.Events.WaitFor("user_typing", e => e.GetProperty("offer_id").GetInt32() == offer);
        Assert.Equal("dispatcher", typing.GetProperty("user_type").GetString());
        Assert.Equal("Carl Banks", typing.GetProperty("name").GetString());
        await HubKit.Settle();
        Assert.Empty(other.Events.All("user_typing", e => e.GetProperty("offer_id").GetInt32() == offer));
        Assert.Empty(carl.Events.All("user_typing", e => e.GetProperty("offer_id").GetInt32() == offer));
    }

    [Fact]
    public async Task Typing_is_relayed_at_most_once_per_two_seconds_and_the_last_state_still_arrives()
    {
        var offer = server.SeedOffer(HubKit.Carl, 107);
        await using var carl = await server.ConnectDispatcher("carl.banks");
        await using var driver = await server.ConnectDriver(107);
        var conversation = new { offer_id = offer, driver_id = 107 };

        for (var i = 0; i < 5; i++)
        {
            await driver.Hub.InvokeAsync("typing_start", conversation);
        }
        await driver.Hub.InvokeAsync("typing_stop", conversation);
        await carl.Events.WaitFor("user_typing", e => e.GetProperty("offer_id").GetInt32() == offer);
        server.Clock.Advance(TimeSpan.FromSeconds(1.9));
        await HubKit.Settle();
        Assert.Single(carl.Events.All("user_typing", e => e.GetProperty("offer_id").GetInt32() == offer));

        server.Clock.Advance(TimeSpan.FromSeconds(0.1));
        var stopped = await carl.Events.WaitFor("user_typing", e => e.GetProperty("offer_id").GetInt32() == offer && !e.GetProperty("is_typing").GetBoolean());
        Assert.Equal(offer, stopped.GetProperty("offer_id").GetInt32());
        Assert.Equal(2, carl.Events.All("user_typing", e => e.GetProperty("offer_id").GetInt32() == offer).Count);
    }

    [Fact]
    public async Task Typing_with_no_stop_ends_after_six_seconds()
    {
        var offer = server.SeedOffer(HubKit.Carl, 107);
        await using var carl = await server.ConnectDispatcher("carl.banks");
        await using var driver = await server.ConnectDriver(107);

        await driver.Hub.InvokeAsync("typing_start", new { offer_id = offer, driver_id = 107 });
        await carl.Events.WaitFor("user_typing", e => e.GetProperty("offer_id").GetInt32() == offer);
        server.Clock.Advance(TimeSpan.FromSeconds(5.9));
        await HubKit.Settle();
        Assert.Empty(carl.Events.All("user_typing", e => e.GetProperty("offer_id").GetInt32() == offer && !e.GetProperty("is_typing").GetBoolean()));

        server.Clock.Advance(TimeSpan.FromSeconds(0.1));
        await carl.Events.WaitFor("user_typing", e => e.GetProperty("offer_id").GetInt32() == offer && !e.GetProperty("is_typing").GetBoolean());
    }

    [Fact]
    public async Task Typing_start_refreshes_the_expiry_without_relaying_again()
    {
        var offer = server.SeedOffer(HubKit.Carl, 107);
        await using var carl = await server.ConnectDispatcher("carl.banks");
        await using var driver = await server.ConnectDriver(107);
        var conversation = new { offer_id = offer, driver_id = 107 };

        await driver.Hub.InvokeAsync("typing_start", conversation);
        await carl.Events.WaitFor("user_typing", e => e.GetProperty("offer_id").GetInt32() == offer);
        server.Clock.Advance(TimeSpan.FromSeconds(4));
        await driver.Hub.InvokeAsync("typing_start", conversation);
        server.Clock.Advance(TimeSpan.FromSeconds(4));
        await HubKit.Settle();
        Assert.Single(carl.Events.All("user_typing", e => e.GetProperty("offer_id").GetInt32() == offer));

        server.Clock.Advance(TimeSpan.FromSeconds(2));
        await carl.Events.WaitFor("user_typing", e => e.GetProperty("offer_id").GetInt32() == offer && !e.GetProperty("is_typing").GetBoolean());
    }

    [Fact]
    public async Task Closing_the_typing_connection_stops_the_typing()
    {
        var offer = server.SeedOffer(HubKit.Carl, 107);
        await using var carl = await server.ConnectDispatcher("carl.banks");
        var driver = await server.ConnectDriver(107);

        await driver.Hub.InvokeAsync("typing_start", new { offer_id = offer, driver_id = 107 });
        await carl.Events.WaitFor("user_typing", e => e.GetProperty("offer_id").GetInt32() == offer);
        await driver.DisposeAsync();
        server.Clock.Advance(TimeSpan.FromSeconds(2));
        await carl.Events.WaitFor("user_typing", e => e.GetProperty("offer_id").GetInt32() == offer && !e.GetProperty("is_typing").GetBoolean());
    }

    [Fact]
    public async Task Typing_in_a_chat_closed_by_a_booking_is_refused_for_the_other_drivers_and_still_relayed_for_the_booked_one()
    {
        var offer = server.SeedOffer(HubKit.Carl, 107, 120);
        await using var carl = await server.ConnectDispatcher("carl.banks");
        await using var booked = await server.ConnectDriver(107);
        await using var other = await server.ConnectDriver(120);
        using var carlApi = await server.LoginAs("carl.banks");
        await booked.Hub.InvokeAsync<JsonElement>("driver_proposal", new { offer_id = offer, action = "accept" });
        Assert.Equal(HttpStatusCode.OK, (await carlApi.Post($"/api/offers/{offer}/book", new { driver_id = 107 })).StatusCode);

        // As send_message is refused there, and with its reason.
        var refused = await Assert.ThrowsAsync<HubException>(() => other.Hub.InvokeAsync("typing_start", new { offer_id = offer, driver_id = 120 }));
        Assert.Contains("This load was booked by another driver; this chat is closed.", refused.Message);
        var send = await Assert.ThrowsAsync<HubException>(() => other.Hub.InvokeAsync<JsonElement>("send_message",
            new { offer_id = offer, driver_id = 120, message = "Still there?", client_message_id = Guid.NewGuid().ToString() }));
        Assert.Contains("This load was booked by another driver; this chat is closed.", send.Message);
        // Carl typing to the driver who lost it is refused the same way.
        await Assert.ThrowsAsync<HubException>(() => carl.Hub.InvokeAsync("typing_start", new { offer_id = offer, driver_id = 120 }));

        await booked.Hub.InvokeAsync("typing_start", new { offer_id = offer, driver_id = 107 });
        await carl.Events.WaitFor("user_typing", e => e.GetProperty("offer_id").GetInt32() == offer && e.GetProperty("driver_id").GetInt32() == 107);
        await HubKit.Settle();
        Assert.Empty(carl.Events.All("user_typing", e => e.GetProperty("offer_id").GetInt32() == offer && e.GetProperty("driver_id").GetInt32() == 120));
        Assert.Empty(other.Events.All("user_typing", e => e.GetProperty("offer_id").GetInt32() == offer));
    }

    [Fact]
    public async Task Typing_after_a_cancel_is_refused_and_ends_the_typing_the_other_side_was_shown()
    {
        var offer = server.SeedOffer(HubKit.Carl, 107);
        await using var carl = await server.ConnectDispatcher("carl.banks");
        await using var driver = await server.ConnectDriver(107);
        using var carlApi = await server.LoginAs("carl.banks");
        var conversation = new { offer_id = offer, driver_id = 107 };
        await driver.Hub.InvokeAsync("typing_start", conversation);
        await carl.Events.WaitFor("user_typing", e => e.GetProperty("offer_id").GetInt32() == offer && e.GetProperty("is_typing").GetBoolean());

        Assert.Equal(HttpStatusCode.OK, (await carlApi.DeleteAsync($"/api/offers/{offer}")).StatusCode);
        var refused = await Assert.ThrowsAsync<HubException>(() => driver.Hub.InvokeAsync("typing_start", conversation));
        Assert.Contains("This offer was cancelled; its chat is closed.", refused.Message);
        // typing_stop stays harmless there: it only ends what was started.
        await driver.Hub.InvokeAsync("typing_stop", conversation);

        // The "typing…" Carl was shown ends when the throttle window allows, not when it would have expired (6 s).
        server.Clock.Advance(TimeSpan.FromSeconds(2));
        await carl.Events.WaitFor("user_typing", e => e.GetProperty("offer_id").GetInt32() == offer && !e.GetProperty("is_typing").GetBoolean());
        await Assert.ThrowsAsync<HubException>(() => carl.Hub.InvokeAsync("typing_start", conversation));
        server.Clock.Advance(TimeSpan.FromSeconds(10));
        await HubKit.Settle();
        Assert.Single(carl.Events.All("user_typing", e => e.GetProperty("offer_id").GetInt32() == offer && e.GetProperty("is_typing").GetBoolean()));
        Assert.Empty(driver.Events.All("user_typing", e => e.GetProperty("offer_id").GetInt32() == offer));
    }
}
