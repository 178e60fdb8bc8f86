using System.Net;
using System.Text.Json;
using DriverOffers.Server.Features.Auth;
using DriverOffers.Tests.Infrastructure;
using DriverOffers.Tests.Realtime;
using Microsoft.Extensions.DependencyInjection;
using static DriverOffers.Tests.Infrastructure.DriverData;

namespace DriverOffers.Tests.Features.Auth;

public sealed class ExchangeDriverCodeTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Offer_link_code_gives_a_driver_token_for_that_truck_and_offer()
    {
        var offerId = await server.AddOffer(createdBy: 18);
        var code = await server.AddOfferLink(Nwee, offerId);
        using var anon = server.Client();

        var response = await anon.Post("/api/driver/auth/exchange", new { code });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Body();
        Assert.Equal(offerId, body.GetProperty("offer_id").GetInt32());
        Assert.Equal(Nwee, body.GetProperty("driver").GetProperty("id").GetInt32());
        using var driver = server.Client(body.GetProperty("access_token").GetString());
        var me = await (await driver.GetAsync("/api/me")).Body();
        Assert.Equal("driver", me.GetProperty("user_type").GetString());
        Assert.Equal(Nwee, me.GetProperty("id").GetInt32());
    }

    [Fact]
    public async Task The_whole_offer_link_pasted_as_the_code_works_like_its_code()
    {
        using var carl = await server.LoginAs("carl.banks");
        var created = await carl.CreateOfferWithLinks(Nwee);
        var link = created.GetProperty("drivers")[0].GetProperty("link").GetString()!;
        using var anon = server.Client();

        var response = await anon.Post("/api/driver/auth/exchange", new { code = link });
        var again = await anon.Post("/api/driver/auth/exchange", new { code = link[(link.LastIndexOf('/') + 1)..] });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Body();
        Assert.Equal(created.GetProperty("id").GetInt32(), body.GetProperty("offer_id").GetInt32());
        Assert.Equal(Nwee, body.GetProperty("driver").GetProperty("id").GetInt32());
        Assert.Equal(HttpStatusCode.Unauthorized, again.StatusCode);
    }

    [Theory]
    [InlineData("https://offers.example.com/driver/link/AbC123xyz", "AbC123xyz")]
    [InlineData("http://h/driver/link/AbC123xyz?utm=sms#top", "AbC123xyz")]
    [InlineData("AbC123xyz", "AbC123xyz")]
    [InlineData(null, null)]
    public void The_code_is_read_from_a_pasted_link(string? given, string? code) =>
        Assert.Equal(code, ExchangeDriverCode.CodeOf(given));

    [Fact]
    public async Task A_link_code_works_only_once()
    {
        var code = await server.AddOfferLink(Nwee, await server.AddOffer(18));
        using var anon = server.Client();
        Assert.Equal(HttpStatusCode.OK, (await anon.Post("/api/driver/auth/exchange", new { code })).StatusCode);

        var again = await anon.Post("/api/driver/auth/exchange", new { code });

        Assert.Equal(HttpStatusCode.Unauthorized, again.StatusCode);
        Assert.False((await again.Body()).TryGetProperty("access_token", out _));
    }

    [Fact]
    public async Task A_used_link_opened_again_by_its_driver_already_signed_in_opens_its_offer_and_nobody_else_gets_in()
    {
        using var carl = await server.LoginAs("carl.banks");
        var created = await carl.CreateOfferWithLinks(Nwee);
        var code = created.GetProperty("drivers")[0].GetProperty("link").GetString()!.Split('/')[^1];
        using var anon = server.Client();
        var first = await (await anon.Post("/api/driver/auth/exchange", new { code })).Body();
        using var samePhone = server.Client(first.GetProperty("access_token").GetString());
        using var otherDriver = server.Client(server.DriverToken(server.AddTrucks(1)[0]));

        var again = await samePhone.Post("/api/driver/auth/exchange", new { code });
        var stranger = await otherDriver.Post("/api/driver/auth/exchange", new { code });
        var anonymous = await anon.Post("/api/driver/auth/exchange", new { code });

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var body = await again.Body();
        Assert.Equal(created.GetProperty("id").GetInt32(), body.GetProperty("offer_id").GetInt32());
        Assert.Equal(Nwee, body.GetProperty("driver").GetProperty("id").GetInt32());
        Assert.Equal(HttpStatusCode.Unauthorized, stranger.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task Racing_exchanges_of_one_code_give_exactly_one_token()
    {
        var code = await server.AddOfferLink(Nwee, await server.AddOffer(18));
        using var anon = server.Client();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => anon.Post("/api/driver/auth/exchange", new { code })));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
    }

    [Fact]
    public async Task An_expired_link_code_is_refused_like_an_unknown_one()
    {
        var code = await server.AddOfferLink(Nwee, await server.AddOffer(18), TimeSpan.FromHours(72), DateTime.UtcNow.AddHours(-73));
        using var anon = server.Client();

        var expired = await anon.Post("/api/driver/auth/exchange", new { code });
        var unknown = await anon.Post("/api/driver/auth/exchange", new { code = "no-such-code-0123456789" });

        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.Equal(Detail(await expired.Body()), Detail(await unknown.Body()));
    }

    [Theory]
    [InlineData("no-such-code-0123456789")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    public async Task A_malformed_or_unknown_code_is_refused_like_an_expired_one(string code)
    {
        using var anon = server.Client();

        var response = await anon.Post("/api/driver/auth/exchange", new { code });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_link_stored_before_links_were_signed_still_signs_in_once()
    {
        var offerId = await server.AddOffer(18);
        var code = await server.AddStoredOfferLink(Nwee, offerId);
        using var anon = server.Client();

        var first = await anon.Post("/api/driver/auth/exchange", new { code });
        var again = await anon.Post("/api/driver/auth/exchange", new { code });

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(offerId, (await first.Body()).GetProperty("offer_id").GetInt32());
        Assert.Equal(HttpStatusCode.Unauthorized, again.StatusCode);
    }

    [Fact]
    public async Task A_signed_link_with_any_character_changed_is_refused_and_does_not_use_up_the_real_one()
    {
        var code = await server.AddOfferLink(Nwee, await server.AddOffer(18));
        using var anon = server.Client();

        foreach (var position in new[] { 0, 5, 10, 20, code.Length - 1 })
        {
            var changed = code[..position] + (code[position] == 'A' ? 'B' : 'A') + code[(position + 1)..];
            Assert.Equal(HttpStatusCode.Unauthorized, (await anon.Post("/api/driver/auth/exchange", new { code = changed })).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await anon.Post("/api/driver/auth/exchange", new { code })).StatusCode);
    }

    [Fact]
    public async Task A_signed_link_for_an_offer_the_truck_was_never_sent_is_refused()
    {
        var offerId = await server.AddOffer(18);
        // Signed with the server's own key, but there is no invitation behind it to use up.
        var code = server.Services.GetRequiredService<OfferLinks>().Issue(offerId, Nwee, DateTime.UtcNow.AddHours(1));
        using var anon = server.Client();

        var response = await anon.Post("/api/driver/auth/exchange", new { code });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_link_signed_with_another_secret_is_refused()
    {
        var offerId = await server.AddOffer(18);
        await server.AddOfferLink(Nwee, offerId);
        var forged = new OfferLinks("another-secret-of-at-least-32-bytes-long!").Issue(offerId, Nwee, DateTime.UtcNow.AddHours(1));
        using var anon = server.Client();

        var response = await anon.Post("/api/driver/auth/exchange", new { code = forged });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_link_sent_before_codes_carried_their_offer_still_signs_in()
    {
        var offerId = await server.AddOffer(18);
        // 20 random bytes and their bare hash: how links were made before (decision 081).
        const string plain = "0123456789abcdefghijklmnopq";
        server.Scoped(db =>
        {
            var (code, _) = DriverAccessCode.ForOfferLink(Nwee, offerId, TimeSpan.FromHours(72), DateTime.UtcNow);
            db.DriverAccessCodes.Add(code);
            db.Entry(code).Property(c => c.CodeHash).CurrentValue = DriverAccessCode.Hash(plain);
            return db.SaveChanges();
        });
        using var anon = server.Client();

        var response = await anon.Post("/api/driver/auth/exchange", new { code = plain });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(offerId, (await response.Body()).GetProperty("offer_id").GetInt32());
    }

    [Fact]
    public async Task A_code_sent_to_another_truck_signs_in_as_that_truck_only()
    {
        var offerId = await server.AddOffer(18);
        var rodneysCode = await server.AddOfferLink(Rodney, offerId);
        using var anon = server.Client();

        var body = await (await anon.Post("/api/driver/auth/exchange", new { code = rodneysCode })).Body();

        using var driver = server.Client(body.GetProperty("access_token").GetString());
        var me = await (await driver.GetAsync("/api/me")).Body();
        Assert.Equal(Rodney, me.GetProperty("id").GetInt32());
        // A driver token is not a dispatcher: the outbox (with other drivers' links) stays closed.
        Assert.Equal(HttpStatusCode.Forbidden, (await driver.GetAsync("/api/outbox")).StatusCode);
    }

    [Fact]
    public async Task A_missing_code_is_a_400_naming_the_field()
    {
        using var anon = server.Client();
        var response = await anon.Post("/api/driver/auth/exchange", new { code = "" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("code", await response.ErrorFields());
    }

    private static string? Detail(JsonElement problem) => problem.GetProperty("detail").GetString();
}

/// <summary>Guessing link codes from one address is cut off with 429, even for a code that would have worked.</summary>
public sealed class ExchangeDriverCodeThrottleTests(ExchangeDriverCodeThrottleTests.Fixture server)
    : IClassFixture<ExchangeDriverCodeThrottleTests.Fixture>
{
    public sealed class Fixture : ServerFixture
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Auth:LoginAttemptsPerMinutePerIp"] = "5",
        };
    }

    [Fact]
    public async Task Guessing_codes_is_rate_limited_per_address_with_retry_after()
    {
        var realCode = await server.AddOfferLink(Nwee, await server.AddOffer(18));
        using var anon = server.Client();
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anon.Post("/api/driver/auth/exchange", new { code = $"guess-{i:D10}" })).StatusCode);
        }

        var blocked = await anon.Post("/api/driver/auth/exchange", new { code = realCode });

        Assert.Equal((HttpStatusCode)429, blocked.StatusCode);
        Assert.True(blocked.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.True((await blocked.Body()).GetProperty("retry_after_seconds").GetInt32() > 0);
    }
}

/// <summary>Only failed exchanges count: a depot handing out many good links from one address is never refused.</summary>
public sealed class ExchangeDriverCodeGoodLinksTests(ExchangeDriverCodeGoodLinksTests.Fixture server)
    : IClassFixture<ExchangeDriverCodeGoodLinksTests.Fixture>
{
    public sealed class Fixture : ServerFixture
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Auth:LoginAttemptsPerMinutePerIp"] = "2",
        };
    }

    [Fact]
    public async Task Good_links_exchanged_from_one_address_never_use_up_its_allowance_for_failures()
    {
        var offerId = await server.AddOffer(18);
        var trucks = server.AddTrucks(6);
        using var anon = server.Client();
        foreach (var truck in trucks)
        {
            var code = await server.AddOfferLink(truck, offerId);
            Assert.Equal(HttpStatusCode.OK, (await anon.Post("/api/driver/auth/exchange", new { code })).StatusCode);
        }

        // Failures still count: two are allowed, the third attempt is cut off.
        Assert.Equal(HttpStatusCode.Unauthorized, (await anon.Post("/api/driver/auth/exchange", new { code = "guess-0000000001" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anon.Post("/api/driver/auth/exchange", new { code = "guess-0000000002" })).StatusCode);
        Assert.Equal((HttpStatusCode)429, (await anon.Post("/api/driver/auth/exchange", new { code = "guess-0000000003" })).StatusCode);
    }
}
