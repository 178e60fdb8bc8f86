using System.Net;
using System.Net.Http.Json;
using DriverOffers.Server.Common;
using DriverOffers.Tests.Infrastructure;

namespace DriverOffers.Tests.Features.Auth;

/// <summary>
/// Strangers who know a driver's number guess at the driver's code, with the product's limits on tries. The clients'
/// addresses come in <c>X-Forwarded-For</c> from a proxy on loopback, as behind a real one. Each test has a truck of its own.
/// </summary>
public sealed class PhoneCodeGuessTests(PhoneCodeGuessTests.Fixture server) : IClassFixture<PhoneCodeGuessTests.Fixture>
{
    public sealed class Fixture : ServerFixture
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Network:KnownProxies:0"] = "127.0.0.1",
            ["Network:KnownProxies:1"] = "::1",
        };
    }

    private const string Driver = "198.51.100.20";

    [Fact]
    public async Task Wrong_guesses_from_strangers_addresses_leave_the_drivers_code_usable()
    {
        var (phone, truck) = Truck();
        Assert.Equal(HttpStatusCode.OK, (await Post("request-code", new { phone }, Driver)).StatusCode);
        var code = server.LatestSignInCode(truck);
        var wrong = Wrong(code);

        for (var stranger = 1; stranger <= 3; stranger++)
        {
            for (var i = 0; i < 5; i++)
            {
                Assert.Equal(HttpStatusCode.Unauthorized, (await Post("verify-code", new { phone, code = wrong }, $"203.0.113.{stranger}")).StatusCode);
            }
        }

        Assert.Equal(HttpStatusCode.OK, (await Post("verify-code", new { phone, code }, Driver)).StatusCode);
    }

    [Fact]
    public async Task After_five_tries_from_one_address_even_the_right_code_is_refused_there_but_not_elsewhere()
    {
        var (phone, truck) = Truck();
        await Post("request-code", new { phone }, Driver);
        var code = server.LatestSignInCode(truck);
        for (var i = 0; i < 5; i++)
        {
            await Post("verify-code", new { phone, code = Wrong(code) }, "203.0.113.40");
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await Post("verify-code", new { phone, code }, "203.0.113.40")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Post("verify-code", new { phone, code }, Driver)).StatusCode);
    }

    [Fact]
    public async Task A_code_dies_after_twenty_tries_from_all_addresses_together()
    {
        var (phone, truck) = Truck();
        await Post("request-code", new { phone }, Driver);
        var code = server.LatestSignInCode(truck);
        for (var stranger = 1; stranger <= 4; stranger++)
        {
            for (var i = 0; i < 5; i++)
            {
                await Post("verify-code", new { phone, code = Wrong(code) }, $"203.0.113.{50 + stranger}");
            }
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await Post("verify-code", new { phone, code }, Driver)).StatusCode);
    }

    [Fact]
    public async Task An_address_past_ten_tries_at_a_number_in_an_hour_is_locked_out_while_the_driver_signs_in()
    {
        var (phone, truck) = Truck();
        const string stranger = "203.0.113.60";
        for (var round = 0; round < 2; round++)
        {
            // The stranger's own codes: each new one replaces the last, so tries at it are tries at the driver's code.
            await Post("request-code", new { phone }, stranger);
            var guess = Wrong(server.LatestSignInCode(truck));
            for (var i = 0; i < 5; i++)
            {
                Assert.Equal(HttpStatusCode.Unauthorized, (await Post("verify-code", new { phone, code = guess }, stranger)).StatusCode);
            }
        }
        await Post("request-code", new { phone }, Driver);
        var code = server.LatestSignInCode(truck);

        var lockedOut = await Post("verify-code", new { phone, code }, stranger);
        var driver = await Post("verify-code", new { phone, code }, Driver);

        Assert.Equal((HttpStatusCode)429, lockedOut.StatusCode);
        Assert.NotNull(lockedOut.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.OK, driver.StatusCode);
    }

    private (string Phone, int Truck) Truck()
    {
        var id = server.AddTrucks(1)[0];
        return ($"(555) 010-{id % 10000:D4}", id);
    }

    private static string Wrong(string code) => code == "111111" ? "222222" : "111111";

    private async Task<HttpResponseMessage> Post(string action, object body, string from)
    {
        using var client = server.Client();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/driver/auth/{action}")
        {
            Content = JsonContent.Create(body, options: ApiJson.Options),
        };
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", from);
        return await client.SendAsync(request);
    }
}
