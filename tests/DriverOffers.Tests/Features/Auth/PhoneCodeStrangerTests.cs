using System.Net;
using System.Net.Http.Json;
using DriverOffers.Server.Common;
using DriverOffers.Tests.Infrastructure;
using static DriverOffers.Tests.Infrastructure.DriverData;

namespace DriverOffers.Tests.Features.Auth;

/// <summary>
/// A stranger who knows a driver's number asks for codes to it. The clients' addresses come in <c>X-Forwarded-For</c>
/// from a proxy on loopback (<c>Network:KnownProxies</c>), as behind a real one.
/// </summary>
public sealed class PhoneCodeStrangerTests(PhoneCodeStrangerTests.Fixture server) : IClassFixture<PhoneCodeStrangerTests.Fixture>
{
    public sealed class Fixture : ServerFixture
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Network:KnownProxies:0"] = "127.0.0.1",
            ["Network:KnownProxies:1"] = "::1",
            ["Auth:PhoneCodeRequestsPerHourPerNumberPerIp"] = "2",
            ["Auth:PhoneCodeRequestsPerHourPerNumber"] = "5",
            ["Auth:PhoneCodeRequestsPerHourPerIp"] = "1000",
        };
    }

    [Fact]
    public async Task A_stranger_using_up_their_requests_for_a_drivers_number_leaves_the_driver_able_to_get_a_code()
    {
        const string phone = "(555) 010-3101";
        Assert.Equal(HttpStatusCode.OK, (await RequestCode(phone, from: "203.0.113.7")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await RequestCode(phone, from: "203.0.113.7")).StatusCode);

        var stranger = await RequestCode(phone, from: "203.0.113.7");
        var driver = await RequestCode(phone, from: "198.51.100.20");

        Assert.Equal((HttpStatusCode)429, stranger.StatusCode);
        Assert.Equal(HttpStatusCode.OK, driver.StatusCode);
    }

    [Fact]
    public async Task Texts_to_one_number_stop_at_its_hourly_cap_whatever_the_number_of_addresses()
    {
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await RequestCode(NweePhone, from: $"203.0.113.{100 + i}")).StatusCode);
        }

        Assert.Equal((HttpStatusCode)429, (await RequestCode(NweePhone, from: "203.0.113.200")).StatusCode);
        Assert.Equal(5, server.Scoped(db => db.Outbox.Count(m => m.TruckId == Nwee)));
    }

    [Fact]
    public async Task An_address_put_in_front_of_the_proxys_entry_is_not_believed()
    {
        const string phone = "(555) 010-3102";
        Assert.Equal(HttpStatusCode.OK, (await RequestCode(phone, from: "192.0.2.1, 203.0.113.9")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await RequestCode(phone, from: "192.0.2.2, 203.0.113.9")).StatusCode);

        Assert.Equal((HttpStatusCode)429, (await RequestCode(phone, from: "192.0.2.3, 203.0.113.9")).StatusCode);
    }

    private async Task<HttpResponseMessage> RequestCode(string phone, string from)
    {
        using var client = server.Client();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/driver/auth/request-code")
        {
            Content = JsonContent.Create(new { phone }, options: ApiJson.Options),
        };
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", from);
        return await client.SendAsync(request);
    }
}
