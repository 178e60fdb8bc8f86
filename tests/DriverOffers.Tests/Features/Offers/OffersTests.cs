using System.Net;
using System.Text.Json;
using DriverOffers.Server.Features.Offers;
using DriverOffers.Tests.Infrastructure;

namespace DriverOffers.Tests.Features.Offers;

public sealed class OffersTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Dispatcher_creates_an_offer_and_reads_it_back()
    {
        using var carl = await server.LoginAs("carl.banks");
        var created = await carl.CreateOffer();
        Assert.Equal("active", created.Str("status"));
        Assert.Equal(18, created.GetProperty("created_by").GetInt32());
        Assert.Equal(0, created.GetProperty("drivers").GetArrayLength());
        var fetched = await (await carl.GetAsync($"/api/offers/{created.Id()}")).Body();
        Assert.Equal("Rockford, IL", fetched.Str("pickup_location"));
        Assert.Equal(1500m, fetched.GetProperty("proposed_rate").GetDecimal());
        Assert.Equal(0, fetched.GetProperty("counters").GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Weight_and_distance_are_kept_to_the_hundredth_on_every_provider()
    {
        using var carl = await server.LoginAs("carl.banks");
        var offer = await carl.CreateOffer(b => { b["weight_lbs"] = 38000.456; b["distance_miles"] = 911.8472; });
        Assert.Equal(38000.46m, offer.GetProperty("weight_lbs").GetDecimal());
        Assert.Equal(911.85m, offer.GetProperty("distance_miles").GetDecimal());
        var stored = server.Scoped(db => db.Offers.Single(o => o.Id == offer.Id()));
        Assert.Equal((38000.46m, 911.85m), (stored.WeightLbs, stored.DistanceMiles));
    }

    [Fact]
    public async Task Missing_distance_is_estimated_from_coordinates_with_the_road_factor()
    {
        using var carl = await server.LoginAs("carl.banks");
        var created = await carl.CreateOffer();
        var miles = created.GetProperty("distance_miles").GetDecimal();
        // Rockford → Smyrna is ~455 mi in a straight line; × 1.17 ≈ 532 road miles.
        Assert.InRange(miles, 520m, 545m);
        Assert.Equal(Math.Round(1500m / miles, 2), created.GetProperty("rate_per_mile").GetDecimal());
    }

    [Fact]
    public async Task An_offer_given_place_names_only_gets_their_coordinates_and_a_distance()
    {
        using var carl = await server.LoginAs("carl.banks");
        var created = await carl.CreateOffer(o =>
        {
            (o["pickup_location"], o["delivery_location"]) = ("Rockford, IL 61101", "Smyrna, TN 37167");
            foreach (var k in new[] { "pickup_lat", "pickup_lon", "delivery_lat", "delivery_lon" }) o.Remove(k);
        });
        Assert.InRange(created.GetProperty("pickup_lat").GetDouble(), 42.1, 42.4);
        Assert.InRange(created.GetProperty("pickup_lon").GetDouble(), -89.3, -88.9);
        Assert.InRange(created.GetProperty("delivery_lat").GetDouble(), 35.8, 36.2);
        var miles = created.GetProperty("distance_miles").GetDecimal();
        Assert.InRange(miles, 500m, 560m);
        Assert.Equal(Math.Round(1500m / miles, 2), created.GetProperty("rate_per_mile").GetDecimal());

        // An edit that names a new place without coordinates moves the offer there.
        var body = OfferApi.NewOffer(o =>
        {
            o["delivery_location"] = "Dallas, TX";
            (o["delivery_lat"], o["delivery_lon"]) = (null, null);
        });
        var edited = await (await carl.Put($"/api/offers/{created.Id()}", body)).Body();
        Assert.InRange(edited.GetProperty("delivery_lat").GetDouble(), 32.6, 33.0);
        Assert.InRange(edited.GetProperty("distance_miles").GetDecimal(), 800m, 1000m);
    }

    [Fact]
    public async Task Given_coordinates_win_over_the_place_name_and_unknown_places_stay_without()
    {
        using var carl = await server.LoginAs("carl.banks");
        var given = await carl.CreateOffer(o => o["pickup_location"] = "Chicago, IL");
        Assert.Equal(42.2711, given.GetProperty("pickup_lat").GetDouble());

        var unknown = await carl.CreateOffer(o =>
        {
            o["pickup_location"] = "Dock 4 behind the old mill";
            (o["pickup_lat"], o["pickup_lon"]) = (null, null);
        });
        Assert.Equal(JsonValueKind.Null, unknown.GetProperty("pickup_lat").ValueKind);
        Assert.Equal(JsonValueKind.Null, unknown.GetProperty("distance_miles").ValueKind);
        Assert.Equal(JsonValueKind.Null, unknown.GetProperty("rate_per_mile").ValueKind);
    }

    [Fact]
    public async Task Create_with_driver_ids_sends_in_one_call_and_returns_each_link()
    {
        using var carl = await server.LoginAs("carl.banks");
        var created = await carl.CreateOffer(b => b["driver_ids"] = new[] { 107, 120 });
        var drivers = created.GetProperty("drivers").EnumerateArray().ToArray();
        Assert.Equal([107, 120], drivers.Select(d => d.GetProperty("driver_id").GetInt32()));
        Assert.All(drivers, d => Assert.Contains("/driver/link/", d.Str("link"), StringComparison.Ordinal));
        Assert.Equal(2, created.GetProperty("counters").GetProperty("sent").GetInt32());
        var outbox = server.Scoped(db => db.Outbox.Where(m => m.OfferId == created.Id()).Select(m => new { m.Recipient, m.Channel, m.Body }).ToList());
        Assert.Contains(outbox, m => m.Recipient == "(779) 513-2475" && m.Channel == "sms" && m.Body.Contains("/driver/link/", StringComparison.Ordinal));
        Assert.Equal(2, outbox.Count);
    }

    [Fact]
    public async Task Send_to_drivers_skips_those_already_invited_and_writes_a_system_message()
    {
        using var carl = await server.LoginAs("carl.banks");
        var offer = await carl.CreateOffer();
        await carl.SendTo(offer.Id(), 107);
        var second = await carl.SendTo(offer.Id(), 107, 120);
        Assert.Equal([120], second.GetProperty("drivers").EnumerateArray().Select(d => d.GetProperty("driver_id").GetInt32()));
        Assert.Equal([107], second.GetProperty("skipped_driver_ids").EnumerateArray().Select(d => d.GetInt32()));
        var chat = await carl.Chat(offer.Id(), 120);
        Assert.Equal("system", Assert.Single(chat).Str("message_type"));
        Assert.Equal(1, server.Scoped(db => db.Proposals.Count(p => p.OfferId == offer.Id() && p.DriverId == 107)));
    }

    [Fact]
    public async Task Only_active_existing_distinct_trucks_can_be_sent_an_offer_and_nothing_changes_on_refusal()
    {
        using var carl = await server.LoginAs("carl.banks");
        var offer = await carl.CreateOffer();
        var inactive = server.AddTrucks(1, active: false)[0];
        foreach (object ids in new object[] { new[] { 107, inactive }, new[] { 107, 999_999 }, new[] { 107, 107 }, Array.Empty<int>(), Enumerable.Range(1, SendToDrivers.MaxDrivers + 1).ToArray() })
        {
            var response = await carl.Post($"/api/offers/{offer.Id()}/send-to-drivers", new { driver_ids = ids });
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("driver_ids", await response.ErrorFields());
        }
        Assert.Equal(0, server.Scoped(db => db.Proposals.Count(p => p.OfferId == offer.Id())));
    }

    [Fact]
    public async Task Sending_a_closed_offer_is_a_conflict_with_the_current_offer()
    {
        using var carl = await server.LoginAs("carl.banks");
        var offer = await carl.CreateOffer();
        await carl.DeleteAsync($"/api/offers/{offer.Id()}");
        var response = await carl.Post($"/api/offers/{offer.Id()}/send-to-drivers", new { driver_ids = new[] { 107 } });
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("cancelled", (await response.Body()).GetProperty("current").Str("status"));
        Assert.Equal(0, server.Scoped(db => db.Proposals.Count(p => p.OfferId == offer.Id())));
    }

    [Fact]
    public async Task Dispatcher_edits_the_rate_and_every_invited_driver_sees_a_system_message()
    {
        using var carl = await server.LoginAs("carl.banks");
        var offer = await carl.CreateOffer(b => b["driver_ids"] = new[] { 107 });
        var response = await carl.Put($"/api/offers/{offer.Id()}", OfferApi.NewOffer(b => b["proposed_rate"] = 1750));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1750m, (await response.Body()).GetProperty("proposed_rate").GetDecimal());
        var last = (await carl.Chat(offer.Id(), 107)).Last();
        Assert.Equal("system", last.Str("message_type"));
        Assert.Contains("$1,750.00", last.Str("message"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Saving_an_offer_unchanged_keeps_its_version_and_tells_no_driver()
    {
        using var carl = await server.LoginAs("carl.banks");
        // Whole seconds and whole dollars, as the web app sends them: the rate reads back as 1500.0.
        var day = DateTime.UtcNow.Date.AddDays(3);
        var body = OfferApi.NewOffer(b =>
        {
            (b["pickup_window_start"], b["pickup_window_end"]) = (day.AddHours(8), day.AddHours(12));
            (b["delivery_window_start"], b["delivery_window_end"]) = (day.AddDays(1).AddHours(8), day.AddDays(1).AddHours(12));
        });
        var offer = await carl.CreateOffer(b =>
        {
            foreach (var (k, v) in body) b[k] = v;
            b["driver_ids"] = new[] { 107 };
        });
        var messages = (await carl.Chat(offer.Id(), 107)).Length;

        for (var i = 0; i < 2; i++)
        {
            var saved = await carl.Put($"/api/offers/{offer.Id()}", body);
            Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
            Assert.Equal(offer.GetProperty("version").GetInt32(), (await saved.Body()).GetProperty("version").GetInt32());
        }

        Assert.Equal(messages, (await carl.Chat(offer.Id(), 107)).Length);
    }

    [Fact]
    public async Task Delete_cancels_and_a_cancelled_offer_stays_cancelled()
    {
        using var carl = await server.LoginAs("carl.banks");
        var offer = await carl.CreateOffer(b => b["driver_ids"] = new[] { 120 });
        var cancelled = await carl.DeleteAsync($"/api/offers/{offer.Id()}");
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        Assert.Equal("cancelled", (await cancelled.Body()).Str("status"));
        var again = await carl.DeleteAsync($"/api/offers/{offer.Id()}");
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("cancelled", (await again.Body()).GetProperty("current").Str("status"));
        Assert.Equal(HttpStatusCode.Conflict, (await carl.Put($"/api/offers/{offer.Id()}", OfferApi.NewOffer())).StatusCode);
        Assert.Contains((await carl.Chat(offer.Id(), 120)), m => m.Str("message").Contains("cancelled", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Dispatcher_lists_own_offers_admin_lists_all_with_status_and_search_filters()
    {
        using var carl = await server.LoginAs("carl.banks");
        using var leo = await server.LoginAs("leo.durand");
        using var admin = await server.LoginAs("vladyslav");
        var tag = Guid.NewGuid().ToString("N")[..8];
        var carls = await carl.CreateOffer(b => b["notes"] = $"carl {tag}");
        var leos = await leo.CreateOffer(b => b["notes"] = $"leo {tag}");
        await carl.DeleteAsync($"/api/offers/{carls.Id()}");

        var carlSees = (await (await carl.GetAsync($"/api/offers?q={tag}")).Body()).EnumerateArray().Select(o => o.Id()).ToArray();
        Assert.Equal([carls.Id()], carlSees);
        var adminSees = (await (await admin.GetAsync($"/api/offers?q={tag.ToUpperInvariant()}")).Body()).EnumerateArray().Select(o => o.Id()).ToArray();
        Assert.Equal([leos.Id(), carls.Id()], adminSees);
        var active = (await (await admin.GetAsync($"/api/offers?status=active&q={tag}")).Body()).EnumerateArray().Select(o => o.Id()).ToArray();
        Assert.Equal([leos.Id()], active);
        var bad = await admin.GetAsync("/api/offers?status=open&limit=0");
        Assert.Equal(["limit", "status"], (await bad.ErrorFields()).Order());
    }

    [Fact]
    public async Task A_list_limit_that_is_not_a_whole_number_names_the_field_and_what_is_allowed()
    {
        using var carl = await server.LoginAs("carl.banks");
        var response = await carl.GetAsync("/api/offers?limit=x");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(("limit", $"limit must be a whole number from 1 to {ListOffers.MaxLimit} (default {ListOffers.DefaultLimit})."),
            await response.SingleError());
    }

    [Fact]
    public async Task Control_and_bidi_override_characters_in_offer_text_and_search_are_refused_naming_each_field_and_nothing_is_stored()
    {
        using var carl = await server.LoginAs("carl.banks");
        var before = server.Scoped(db => db.Offers.Count());
        var response = await carl.Post("/api/offers", OfferApi.NewOffer(b =>
        {
            b["pickup_location"] = "Rockford, IL \u202e";
            b["delivery_location"] = "Smyrna\u2066, TN";
            b["dimensions"] = "48x40\u0000";
            b["notes"] = "Dock 4\u001b[2J";
        }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["delivery_location", "dimensions", "notes", "pickup_location"], (await response.ErrorFields()).Order());
        Assert.Equal(before, server.Scoped(db => db.Offers.Count()));

        // PostgreSQL refuses NUL in a query parameter: this search was a 500 there.
        var search = await carl.GetAsync("/api/offers?q=dock%004");
        Assert.Equal(HttpStatusCode.BadRequest, search.StatusCode);
        Assert.Equal("q", (await search.SingleError()).Field);
    }

    [Fact]
    public async Task Driver_lists_only_offers_sent_to_them_with_their_proposal_and_dispatcher_contact()
    {
        using var carl = await server.LoginAs("carl.banks");
        var mine = await carl.CreateOffer(b => b["driver_ids"] = new[] { 122 });
        var notMine = await carl.CreateOffer(b => b["driver_ids"] = new[] { 120 });
        using var driver = server.Driver(122);
        var list = (await (await driver.GetAsync("/api/offers")).Body()).EnumerateArray().ToArray();
        Assert.Contains(list, o => o.Id() == mine.Id());
        Assert.DoesNotContain(list, o => o.Id() == notMine.Id());
        var item = list.Single(o => o.Id() == mine.Id());
        Assert.Equal(122, item.GetProperty("my_proposal").GetProperty("driver_id").GetInt32());
        Assert.Equal("Carl Banks", item.GetProperty("dispatcher").Str("full_name"));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, item.GetProperty("counters").ValueKind);
    }

    [Fact]
    public async Task Unknown_properties_such_as_status_are_refused_on_create()
    {
        using var carl = await server.LoginAs("carl.banks");
        var before = server.Scoped(db => db.Offers.Count());
        var response = await carl.Post("/api/offers", OfferApi.NewOffer(b => b["status"] = "completed"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("status", await response.ErrorFields());
        Assert.Equal(before, server.Scoped(db => db.Offers.Count()));
    }

    [Theory]
    [InlineData("pickup_location", "")]
    [InlineData("delivery_location", null)]
    [InlineData("pickup_location", "x501")]
    [InlineData("notes", "x4001")]
    [InlineData("pickup_lat", 90.5)]
    [InlineData("delivery_lon", -181.0)]
    [InlineData("pickup_lon", null)]
    [InlineData("weight_lbs", 0)]
    [InlineData("weight_lbs", 250000)]
    [InlineData("proposed_rate", -1)]
    [InlineData("proposed_rate", null)]
    [InlineData("proposed_rate", 1500.125)]
    [InlineData("distance_miles", 0)]
    [InlineData("expires_at", "past")]
    [InlineData("pickup_window_end", "before-start")]
    [InlineData("delivery_window_end", "before-pickup")]
    [InlineData("driver_ids", "inactive")]
    public async Task Each_invalid_field_is_named_in_a_400_and_nothing_is_stored(string field, object? value)
    {
        using var carl = await server.LoginAs("carl.banks");
        var body = OfferApi.NewOffer(b =>
        {
            b[field] = value switch
            {
                "x501" => new string('x', 501),
                "x4001" => new string('x', 4001),
                "past" => DateTime.UtcNow.AddMinutes(-1),
                "before-start" => DateTime.UtcNow.AddDays(1).AddHours(-1),
                "before-pickup" => DateTime.UtcNow.AddHours(1),
                "inactive" => server.AddTrucks(1, active: false),
                _ => value,
            };
            if (value is "before-pickup")
            {
                b["delivery_window_start"] = null;
            }
        });
        var before = server.Scoped(db => db.Offers.Count());
        var response = await carl.Post("/api/offers", body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal([field], await response.ErrorFields());
        Assert.Equal(before, server.Scoped(db => db.Offers.Count()));
    }

    [Fact]
    public async Task Another_dispatchers_offer_answers_exactly_like_a_missing_one()
    {
        using var carl = await server.LoginAs("carl.banks");
        using var leo = await server.LoginAs("leo.durand");
        var offer = await carl.CreateOffer(b => b["driver_ids"] = new[] { 107 });
        const int missing = 987_654;
        foreach (var (method, path, body) in new (string, string, object?)[]
        {
            ("GET", "", null), ("PUT", "", OfferApi.NewOffer()), ("DELETE", "", null),
            ("POST", "/send-to-drivers", new { driver_ids = new[] { 120 } }), ("POST", "/book", new { driver_id = 107 }),
            ("GET", "/proposals", null), ("GET", "/chat/107", null),
        })
        {
            var forbidden = await Send(leo, method, $"/api/offers/{offer.Id()}{path}", body);
            var absent = await Send(leo, method, $"/api/offers/{missing}{path}", body);
            Assert.Equal(HttpStatusCode.NotFound, forbidden.StatusCode);
            await OfferApi.AssertSameRefusal(absent, forbidden);
        }
        Assert.Equal("active", (await (await carl.GetAsync($"/api/offers/{offer.Id()}")).Body()).Str("status"));
    }

    [Fact]
    public async Task A_driver_gets_404_on_dispatcher_only_routes_and_on_offers_not_sent_to_them()
    {
        using var carl = await server.LoginAs("carl.banks");
        var offer = await carl.CreateOffer(b => b["driver_ids"] = new[] { 107 });
        using var nwee = server.Driver(107);
        using var rodney = server.Driver(120);
        Assert.Equal(HttpStatusCode.NotFound, (await nwee.Post("/api/offers", OfferApi.NewOffer())).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await nwee.Put($"/api/offers/{offer.Id()}", OfferApi.NewOffer())).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await nwee.DeleteAsync($"/api/offers/{offer.Id()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await nwee.Post($"/api/offers/{offer.Id()}/send-to-drivers", new { driver_ids = new[] { 120 } })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await nwee.Post($"/api/offers/{offer.Id()}/book", new { driver_id = 107 })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await nwee.GetAsync($"/api/offers/{offer.Id()}")).StatusCode);
        var other = await rodney.GetAsync($"/api/offers/{offer.Id()}");
        var missing = await rodney.GetAsync("/api/offers/987654");
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        await OfferApi.AssertSameRefusal(missing, other);
    }

    private static Task<HttpResponseMessage> Send(HttpClient client, string method, string path, object? body) => method switch
    {
        "GET" => client.GetAsync(path),
        "DELETE" => client.DeleteAsync(path),
        "PUT" => client.Put(path, body!),
        _ => client.Post(path, body!),
    };
}
