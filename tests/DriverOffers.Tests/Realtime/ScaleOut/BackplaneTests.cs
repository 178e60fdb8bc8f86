using System.Text.Json;
using DriverOffers.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace DriverOffers.Tests.Realtime.ScaleOut;

/// <summary>Two server processes behind one Redis: an event raised on one reaches the people connected to the other.</summary>
public sealed class BackplaneTests(ScaleOutFixture site) : IClassFixture<ScaleOutFixture>
{
    [Fact]
    public async Task A_message_sent_by_a_dispatcher_on_one_server_reaches_the_driver_on_the_other()
    {
        var offer = site.A.SeedOffer(HubKit.Carl, 107, 120);
        await using var carl = await site.A.ConnectDispatcher("carl.banks");
        await using var d107 = await site.B.ConnectDriver(107);
        await using var d120 = await site.B.ConnectDriver(120);
        await using var leo = await site.B.ConnectDispatcher("leo.durand");

        var stored = await carl.Hub.InvokeAsync<JsonElement>("send_message",
            new { offer_id = offer, driver_id = 107, message = "Can you load at 6?", client_message_id = Guid.NewGuid().ToString("N") });

        var received = await d107.Events.WaitFor("new_message", EventLog.About(offer, 107));
        Assert.Equal(stored.GetProperty("id").GetInt64(), received.GetProperty("id").GetInt64());
        Assert.Equal("Can you load at 6?", received.GetProperty("message").GetString());
        await HubKit.Settle();
        Assert.Single(d107.Events.All("new_message", EventLog.About(offer, 107)));
        Assert.Empty(d120.Events.AboutOffer(offer));
        Assert.Empty(leo.Events.AboutOffer(offer));
    }

    [Fact]
    public async Task Booking_on_one_server_tells_the_other_invited_driver_on_the_other_server_that_the_load_is_taken()
    {
        using var carlApi = await site.A.LoginAs("carl.banks");
        var offer = await carlApi.CreateOffer(107, 120);
        await using var carl = await site.A.ConnectDispatcher("carl.banks");
        await using var d107 = await site.B.ConnectDriver(107);
        await using var d120 = await site.B.ConnectDriver(120);

        await d107.Hub.InvokeAsync<JsonElement>("driver_proposal", new { offer_id = offer, action = "accept" });
        await carl.Events.WaitFor("proposal_updated", e => EventLog.About(offer, 107)(e) && e.GetProperty("status").GetString() == "accepted");
        await carl.Hub.InvokeAsync<JsonElement>("offer_status_change", new { offer_id = offer, status = "completed", driver_id = 107 });

        var taken = await d120.Events.WaitFor("offer_updated", e => EventLog.Offer(offer)(e) && e.GetProperty("status").GetString() == "completed");
        Assert.True(taken.GetProperty("load_taken").GetBoolean());
        var mine = await d107.Events.WaitFor("offer_updated", e => EventLog.Offer(offer)(e) && e.GetProperty("status").GetString() == "completed");
        Assert.Equal(107, mine.GetProperty("booked_driver_id").GetInt32());
    }

    [Fact]
    public async Task Typing_on_one_server_reaches_the_other_side_on_the_other_server()
    {
        var offer = site.A.SeedOffer(HubKit.Carl, 122);
        await using var carl = await site.A.ConnectDispatcher("carl.banks");
        await using var driver = await site.B.ConnectDriver(122);

        await driver.Hub.InvokeAsync("typing_start", new { offer_id = offer, driver_id = 122 });

        var typing = await carl.Events.WaitFor("user_typing", EventLog.About(offer, 122));
        Assert.True(typing.GetProperty("is_typing").GetBoolean());
    }

    [Fact]
    public async Task Hub_events_travel_on_redis_channels_under_the_configured_prefix()
    {
        await using var driver = await site.B.ConnectDriver(107);
        await using var redis = await site.RedisClient();

        var channels = await redis.GetServer(site.Redis.ConnectionString).SubscriptionChannelsAsync(RedisChannelPattern(site.Prefix + "*"));

        Assert.Contains(channels, c => c.ToString().Contains("driver:107", StringComparison.Ordinal));
    }

    private static StackExchange.Redis.RedisChannel RedisChannelPattern(string pattern) => StackExchange.Redis.RedisChannel.Pattern(pattern);
}

/// <summary>What one server decided about an offer, the other's hub acts on at once.</summary>
public sealed class CrossServerOfferChangeTests(ScaleOutFixture site) : IClassFixture<ScaleOutFixture>
{
    [Fact]
    public async Task Typing_in_a_chat_cancelled_on_the_other_server_is_refused_within_moments()
    {
        var offer = site.A.SeedOffer(HubKit.Carl, 120);
        await using var driver = await site.B.ConnectDriver(120);
        var conversation = new { offer_id = offer, driver_id = 120 };
        // Server B now holds "this chat is open" for the driver's connection.
        await driver.Hub.InvokeAsync("typing_start", conversation);
        using var carlApi = await site.A.LoginAs("carl.banks");

        Assert.Equal(System.Net.HttpStatusCode.OK, (await carlApi.DeleteAsync($"/api/offers/{offer}")).StatusCode);

        // Without server A's notice, B would trust its answer for 30 s.
        var until = DateTime.UtcNow.AddSeconds(5);
        while (true)
        {
            try
            {
                await driver.Hub.InvokeAsync("typing_start", conversation);
            }
            catch (Microsoft.AspNetCore.SignalR.HubException refused)
            {
                Assert.Contains("This offer was cancelled; its chat is closed.", refused.Message);
                break;
            }
            Assert.True(DateTime.UtcNow < until, "typing_start was still accepted on server B 5 s after the cancel on server A");
            await Task.Delay(50);
        }
    }
}

/// <summary>Redis going away and coming back: the servers' offer-change notices flow again on their own.</summary>
public sealed class OfferChangesAfterRedisRestartTests(ScaleOutFixture site) : IClassFixture<ScaleOutFixture>
{
    [Fact]
    public async Task After_redis_restarts_a_cancel_on_one_server_still_closes_typing_on_the_other_within_moments()
    {
        await site.RestartRedis();
        // Both servers reconnected (readiness reads Redis) and server B listening for notices again.
        foreach (var server in new[] { site.A, site.B })
        {
            using var http = server.Client();
            await DriverData.Eventually(async () => await http.GetStringAsync(new Uri("/health/ready", UriKind.Relative)) == "Healthy",
                "readiness Healthy after the Redis restart", 60_000);
        }
        await using (var redis = await site.RedisClient())
        {
            var channel = StackExchange.Redis.RedisChannel.Literal(site.Prefix + ":offer-changed");
            await DriverData.Eventually(async () => (long)(await redis.GetDatabase().ExecuteAsync("PUBSUB", "NUMSUB", channel.ToString()))[1] >= 2,
                "both servers subscribed to offer changes again", 60_000);
        }
        // The chat is opened after the restart, so B's "open" answer is fresh: only A's notice can end it within 5 s.
        var offer = site.A.SeedOffer(HubKit.Carl, 120);
        await using var driver = await site.B.ConnectDriver(120);
        var conversation = new { offer_id = offer, driver_id = 120 };
        await driver.Hub.InvokeAsync("typing_start", conversation);
        using var carlApi = await site.A.LoginAs("carl.banks");

        Assert.Equal(System.Net.HttpStatusCode.OK, (await carlApi.DeleteAsync($"/api/offers/{offer}")).StatusCode);

        var until = DateTime.UtcNow.AddSeconds(5);
        while (true)
        {
            try
            {
                await driver.Hub.InvokeAsync("typing_start", conversation);
            }
            catch (Microsoft.AspNetCore.SignalR.HubException refused)
            {
                Assert.Contains("This offer was cancelled; its chat is closed.", refused.Message);
                break;
            }
            Assert.True(DateTime.UtcNow < until, "typing_start was still accepted on server B 5 s after the cancel on server A");
            await Task.Delay(50);
        }
    }
}

/// <summary>Servers that re-read accounts and sign-outs only every ten minutes: what they learn sooner came over Redis.</summary>
public sealed class SlowAccountRefreshScaleOutFixture : ScaleOutFixture
{
    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["Auth:AccountRefreshSeconds"] = "600" };
}

/// <summary>A sign-out on one server reaches the other over Redis, not at its next account refresh.</summary>
public sealed class SignOutAcrossServersTests(SlowAccountRefreshScaleOutFixture site) : IClassFixture<SlowAccountRefreshScaleOutFixture>
{
    [Fact]
    public async Task A_token_signed_out_on_one_server_is_refused_and_its_connections_closed_on_the_other_within_moments()
    {
        var token = await site.A.DispatcherToken("carl.banks");
        using var onB = site.B.Client(token);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await onB.GetAsync(new Uri("/api/offers", UriKind.Relative))).StatusCode);
        await using var hubOnB = await site.B.Connect(token);
        await using var carlElsewhere = await site.B.ConnectDispatcher("carl.banks");
        using var onA = site.A.Client(token);

        Assert.Equal(System.Net.HttpStatusCode.NoContent, (await onA.PostAsync(new Uri("/api/auth/logout", UriKind.Relative), null)).StatusCode);

        await DriverData.Eventually(async () => (await onB.GetAsync(new Uri("/api/offers", UriKind.Relative))).StatusCode == System.Net.HttpStatusCode.Unauthorized,
            "server B refuses the token signed out on server A", 5_000);
        await DriverData.Eventually(() => hubOnB.Hub.State == HubConnectionState.Disconnected, "its connection on server B closed", 5_000);
        await carlElsewhere.Hub.InvokeAsync<JsonElement>("heartbeat", new { });
    }
}
