using System.Net;
using System.Text.Json;
using DriverOffers.Server.Features.Outbox;
using DriverOffers.Tests.Infrastructure;
using static DriverOffers.Tests.Infrastructure.DriverData;

namespace DriverOffers.Tests.Features.Outbox;

public sealed class ListOutboxTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task A_dispatcher_sees_the_links_for_their_own_offers_waiting_to_be_copied()
    {
        var carlsOffer = await server.AddOffer(18);
        var leosOffer = await server.AddOffer(20);
        var mine = await server.AddOutbox(OutboxChannel.Sms, NweePhone, Nwee, carlsOffer, "Load offer", "http://h/driver/link/carl");
        var his = await server.AddOutbox(OutboxChannel.Sms, NweePhone, Nwee, leosOffer, "Load offer", "http://h/driver/link/leo");
        using var carl = await server.LoginAs("carl.banks");

        var entries = (await (await carl.GetAsync("/api/outbox")).Body()).EnumerateArray().ToList();

        var entry = Assert.Single(entries, e => e.GetProperty("id").GetInt32() == mine);
        Assert.DoesNotContain(entries, e => e.GetProperty("id").GetInt32() == his);
        Assert.Equal("http://h/driver/link/carl", entry.GetProperty("link").GetString());
        Assert.Equal("pending", entry.GetProperty("status").GetString());
        // No sender configured: the outbox is the delivery, the dispatcher copies the link.
        Assert.Equal("manual", entry.GetProperty("delivery").GetString());
        Assert.Equal("Nwee Ler", entry.GetProperty("driver_name").GetString());
        Assert.Equal(0, entry.GetProperty("attempts").GetInt32());
        Assert.Equal(JsonValueKind.Null, entry.GetProperty("last_error").ValueKind);
    }

    [Fact]
    public async Task Managers_and_admins_see_every_offers_links()
    {
        var carls = await server.AddOutbox(OutboxChannel.Sms, NweePhone, Nwee, await server.AddOffer(18), "a", "http://h/1");
        var leos = await server.AddOutbox(OutboxChannel.Sms, NweePhone, Nwee, await server.AddOffer(20), "b", "http://h/2");
        using var admin = await server.LoginAs("vladyslav");

        var ids = (await (await admin.GetAsync("/api/outbox")).Body()).EnumerateArray().Select(e => e.GetProperty("id").GetInt32()).ToList();

        Assert.Contains(carls, ids);
        Assert.Contains(leos, ids);
    }

    [Fact]
    public async Task Sign_in_codes_are_never_listed_not_even_to_admins()
    {
        using var anon = server.Client();
        await anon.Post("/api/driver/auth/request-code", new { phone = NweePhone });
        var codeRow = server.Scoped(db => db.Outbox.Where(m => m.TruckId == Nwee && m.OfferId == null).Max(m => m.Id));
        using var admin = await server.LoginAs("vladyslav");

        var entries = (await (await admin.GetAsync("/api/outbox?limit=200")).Body()).EnumerateArray().ToList();

        Assert.DoesNotContain(entries, e => e.GetProperty("id").GetInt32() == codeRow);
        Assert.All(entries, e => Assert.NotEqual(JsonValueKind.Null, e.GetProperty("offer_id").ValueKind));
    }

    [Fact]
    public async Task Filtering_by_someone_elses_offer_is_the_same_404_as_a_missing_offer()
    {
        var leosOffer = await server.AddOffer(20);
        await server.AddOutbox(OutboxChannel.Sms, NweePhone, Nwee, leosOffer, "x", "http://h/x");
        using var carl = await server.LoginAs("carl.banks");

        Assert.Equal(HttpStatusCode.NotFound, (await carl.GetAsync($"/api/outbox?offer_id={leosOffer}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await carl.GetAsync("/api/outbox?offer_id=999999")).StatusCode);
    }

    [Fact]
    public async Task Filters_by_offer_and_status()
    {
        var offer = await server.AddOffer(18);
        var a = await server.AddOutbox(OutboxChannel.Sms, NweePhone, Nwee, offer, "a", "http://h/a");
        await server.AddOutbox(OutboxChannel.Sms, NweePhone, Nwee, await server.AddOffer(18), "b", "http://h/b");
        using var carl = await server.LoginAs("carl.banks");

        var entries = (await (await carl.GetAsync($"/api/outbox?offer_id={offer}&status=pending")).Body()).EnumerateArray().ToList();
        var sent = (await (await carl.GetAsync($"/api/outbox?offer_id={offer}&status=sent")).Body()).EnumerateArray().ToList();

        Assert.Equal([a], entries.Select(e => e.GetProperty("id").GetInt32()));
        Assert.Empty(sent);
    }

    [Fact]
    public async Task Bad_filters_are_400s_naming_the_field()
    {
        using var carl = await server.LoginAs("carl.banks");
        var response = await carl.GetAsync("/api/outbox?status=lost&limit=0");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["limit", "status"], (await response.ErrorFields()).Order());
    }

    [Theory]
    [InlineData("offer_id=x", "offer_id")]
    [InlineData("before_id=x", "before_id")]
    [InlineData("limit=x", "limit")]
    [InlineData("limit=201", "limit")]
    public async Task A_filter_that_is_not_a_whole_number_names_the_field_and_what_is_allowed(string query, string field)
    {
        using var carl = await server.LoginAs("carl.banks");
        var response = await carl.GetAsync($"/api/outbox?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var (name, message) = await response.SingleError();
        Assert.Equal(field, name);
        Assert.StartsWith($"{field} must be a whole number", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retrying_a_message_that_has_not_failed_is_a_409_and_someone_elses_is_404()
    {
        var mine = await server.AddOutbox(OutboxChannel.Sms, NweePhone, Nwee, await server.AddOffer(18), "a", "http://h/a");
        var his = await server.AddOutbox(OutboxChannel.Sms, NweePhone, Nwee, await server.AddOffer(20), "b", "http://h/b");
        using var carl = await server.LoginAs("carl.banks");

        Assert.Equal(HttpStatusCode.Conflict, (await carl.PostAsync($"/api/outbox/{mine}/retry", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await carl.PostAsync($"/api/outbox/{his}/retry", null)).StatusCode);
    }

    [Fact]
    public async Task Without_a_token_the_outbox_is_401()
    {
        using var anon = server.Client();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anon.GetAsync("/api/outbox")).StatusCode);
    }
}
