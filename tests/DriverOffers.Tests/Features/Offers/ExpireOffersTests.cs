using System.Net;
using System.Text.Json;
using DriverOffers.Server.Features.Offers;
using DriverOffers.Tests.Infrastructure;
using DriverOffers.Tests.Realtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace DriverOffers.Tests.Features.Offers;

/// <summary>
/// The passing of <c>expires_at</c> is told once: a system message per invited driver, <c>offer_updated</c> and
/// <c>new_message</c> live. The fake clock is moved by seconds only: tokens are issued on it and checked on the real one.
/// </summary>
public sealed class ExpireOffersTests(FakeClockServerFixture server) : IClassFixture<FakeClockServerFixture>
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task When_an_offer_expires_each_invited_driver_and_the_dispatcher_side_are_told_live_and_in_the_chat()
    {
        using var carlApi = await server.LoginAs("carl.banks");
        await using var carl = await server.ConnectDispatcher("carl.banks");
        await using var admin = await server.ConnectDispatcher("vladyslav");
        await using var leo = await server.ConnectDispatcher("leo.durand");
        await using var d107 = await server.ConnectDriver(107);
        await using var d120 = await server.ConnectDriver(120);
        await using var d122 = await server.ConnectDriver(122);
        var (offer, expiresAt) = await CreateExpiring(carlApi, 107, 120);
        await carl.Events.WaitForCount("new_message", 2, EventLog.About(offer));

        // Exactly to expires_at: the announcer sleeps until the expiry it was armed with, not a poll interval.
        server.Clock.Advance(Lifetime);

        foreach (var side in new[] { carl, admin })
        {
            var updated = await side.Events.WaitFor("offer_updated", e => EventLog.Offer(offer)(e) && e.GetProperty("is_expired").GetBoolean());
            Assert.Equal("active", updated.GetProperty("status").GetString());
            Assert.Equal(2, updated.GetProperty("counters").GetProperty("total").GetInt32());
            foreach (var driverId in new[] { 107, 120 })
            {
                await side.Events.WaitFor("new_message", e => EventLog.About(offer, driverId)(e) && IsExpiryMessage(e));
            }
        }
        foreach (var (driver, id) in new[] { (d107, 107), (d120, 120) })
        {
            var updated = await driver.Events.WaitFor("offer_updated", e => EventLog.Offer(offer)(e) && e.GetProperty("is_expired").GetBoolean());
            Assert.Equal(id, updated.GetProperty("my_proposal").GetProperty("driver_id").GetInt32());
            var message = await driver.Events.WaitFor("new_message", e => EventLog.About(offer)(e) && IsExpiryMessage(e));
            Assert.Equal(id, message.GetProperty("driver_id").GetInt32());
            Assert.Equal("system", message.GetProperty("message_type").GetString());
            Assert.Equal(ExpireOffers.Message(expiresAt), message.GetProperty("message").GetString());
            Assert.True(message.GetProperty("is_read").GetBoolean());
        }
        await HubKit.Settle();
        Assert.Empty(leo.Events.AboutOffer(offer));
        Assert.Empty(d122.Events.AboutOffer(offer));
        Assert.Empty(d107.Events.All("new_message", EventLog.About(offer, 120)));
        foreach (var driverId in new[] { 107, 120 })
        {
            Assert.Single(await ExpiryMessages(carlApi, offer, driverId));
        }
        // The 409 a driver gets now is what the chat already said.
        using var driverApi = server.Client(server.DriverToken(107));
        var proposal = await carlApi.ProposalIdOf(offer, 107);
        Assert.Equal(HttpStatusCode.Conflict, (await driverApi.Put($"/api/proposals/{proposal}/respond", new { action = "accept" })).StatusCode);
    }

    [Fact]
    public async Task An_expiry_is_told_once_however_often_the_announcer_runs_and_however_many_servers_share_the_database()
    {
        using var carlApi = await server.LoginAs("carl.banks");
        var (offer, _) = await CreateExpiring(carlApi, 107, 120);
        var second = server.BuildServer();
        await second.StartAsync();
        try
        {
            // Both servers wake at the same expiry and race to tell it.
            server.Clock.Advance(Lifetime);
            await HubKit.Eventually(() => Announced(offer));
            await server.Services.GetRequiredService<ExpireOffers>().AnnounceDue(CancellationToken.None);
            await second.Services.GetRequiredService<ExpireOffers>().AnnounceDue(CancellationToken.None);
            await HubKit.Settle();
        }
        finally
        {
            await second.StopAsync();
            await second.DisposeAsync();
        }
        foreach (var driverId in new[] { 107, 120 })
        {
            Assert.Single(await ExpiryMessages(carlApi, offer, driverId));
        }
    }

    [Fact]
    public async Task An_offer_booked_or_cancelled_before_its_expiry_is_not_announced()
    {
        using var carlApi = await server.LoginAs("carl.banks");
        await using var carl = await server.ConnectDispatcher("carl.banks");
        await using var d107 = await server.ConnectDriver(107);
        var (booked, _) = await CreateExpiring(carlApi, 107, 120);
        using var driverApi = server.Client(server.DriverToken(107));
        var proposal = await carlApi.ProposalIdOf(booked, 107);
        Assert.Equal(HttpStatusCode.OK, (await driverApi.Put($"/api/proposals/{proposal}/respond", new { action = "accept" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await carlApi.Post($"/api/offers/{booked}/book", new { driver_id = 107 })).StatusCode);
        var (cancelled, _) = await CreateExpiring(carlApi, 107);
        Assert.Equal(HttpStatusCode.OK, (await carlApi.DeleteAsync($"/api/offers/{cancelled}")).StatusCode);

        server.Clock.Advance(Lifetime);
        await server.Services.GetRequiredService<ExpireOffers>().AnnounceDue(CancellationToken.None);
        await HubKit.Settle();

        foreach (var offer in new[] { booked, cancelled })
        {
            Assert.Empty(carl.Events.All("new_message", e => EventLog.About(offer)(e) && IsExpiryMessage(e)));
            Assert.Empty(d107.Events.All("new_message", e => EventLog.About(offer)(e) && IsExpiryMessage(e)));
            Assert.Empty(await ExpiryMessages(carlApi, offer, 107));
            Assert.False(Announced(offer));
        }
    }

    [Fact]
    public async Task An_offer_that_expired_while_no_server_ran_is_announced_at_start()
    {
        using var before = await server.LoginAs("carl.banks");
        var (offer, _) = await CreateExpiring(before, 107);
        await server.StopServerAsync();
        server.Clock.Advance(Lifetime + TimeSpan.FromSeconds(1));
        await server.StartServerAsync();

        using var carlApi = await server.LoginAs("carl.banks");
        await HubKit.Eventually(() => Announced(offer));
        Assert.Single(await ExpiryMessages(carlApi, offer, 107));
        Assert.True((await (await carlApi.GetAsync($"/api/offers/{offer}")).Body()).GetProperty("is_expired").GetBoolean());
    }

    [Fact]
    public async Task Moving_expires_at_into_the_future_reopens_the_offer_and_its_new_expiry_is_announced_again()
    {
        using var carlApi = await server.LoginAs("carl.banks");
        await using var d107 = await server.ConnectDriver(107);
        var (offer, first) = await CreateExpiring(carlApi, 107);
        server.Clock.Advance(Lifetime);
        await d107.Events.WaitFor("new_message", e => EventLog.About(offer)(e) && IsExpiryMessage(e));

        var later = server.Clock.GetUtcNow().UtcDateTime + Lifetime;
        var edit = await carlApi.Put($"/api/offers/{offer}", HubKit.OfferBody(new() { ["expires_at"] = later }));
        Assert.Equal(HttpStatusCode.OK, edit.StatusCode);
        Assert.False((await edit.Body()).GetProperty("is_expired").GetBoolean());
        Assert.False(Announced(offer));
        await d107.Events.WaitFor("new_message", e => EventLog.About(offer)(e) && e.GetProperty("message").GetString() == "Carl Banks reopened the offer.");

        server.Clock.Advance(Lifetime);
        var again = await d107.Events.WaitFor("new_message", e => EventLog.About(offer)(e) && IsExpiryMessage(e) &&
            e.GetProperty("message").GetString() != ExpireOffers.Message(first));
        Assert.Equal(ExpireOffers.Message(Trim(later)), again.GetProperty("message").GetString());
        Assert.Equal(2, (await ExpiryMessages(carlApi, offer, 107)).Count);
    }

    [Fact]
    public async Task Saving_an_expired_offer_with_its_past_expiry_unchanged_does_not_announce_it_again()
    {
        using var carlApi = await server.LoginAs("carl.banks");
        var (offer, expiresAt) = await CreateExpiring(carlApi, 107);
        server.Clock.Advance(Lifetime);
        await HubKit.Eventually(() => Announced(offer));

        var edit = await carlApi.Put($"/api/offers/{offer}", HubKit.OfferBody(new() { ["expires_at"] = expiresAt, ["proposed_rate"] = 1700 }));
        Assert.Equal(HttpStatusCode.OK, edit.StatusCode);
        await server.Services.GetRequiredService<ExpireOffers>().AnnounceDue(CancellationToken.None);

        Assert.True(Announced(offer));
        Assert.Single(await ExpiryMessages(carlApi, offer, 107));
    }

    /// <summary>An offer sent to <paramref name="drivers"/> that expires <see cref="Lifetime"/> from the server's now.</summary>
    private async Task<(int Offer, DateTime ExpiresAt)> CreateExpiring(HttpClient dispatcher, params int[] drivers)
    {
        var expiresAt = Trim(server.Clock.GetUtcNow().UtcDateTime + Lifetime);
        var response = await dispatcher.Post("/api/offers", HubKit.OfferBody(new() { ["driver_ids"] = drivers, ["expires_at"] = expiresAt }));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return ((await response.Body()).GetProperty("id").GetInt32(), expiresAt);
    }

    /// <summary>To whole microseconds, as every provider stores them.</summary>
    private static DateTime Trim(DateTime at) => new(at.Ticks - at.Ticks % 10, DateTimeKind.Utc);

    private bool Announced(int offerId) =>
        server.Scoped(db => db.Offers.Single(o => o.Id == offerId).ExpiryAnnouncedAt is not null);

    private static bool IsExpiryMessage(JsonElement m) =>
        m.GetProperty("message_type").GetString() == "system" && m.GetProperty("message").GetString()!.StartsWith("This offer expired on ", StringComparison.Ordinal);

    private static async Task<List<JsonElement>> ExpiryMessages(HttpClient api, int offerId, int driverId)
    {
        var response = await api.GetAsync($"/api/offers/{offerId}/chat/{driverId}?limit=200");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await response.Body()).EnumerateArray().Where(IsExpiryMessage)];
    }
}
