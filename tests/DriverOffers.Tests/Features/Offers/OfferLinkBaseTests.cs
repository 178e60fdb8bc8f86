using System.Net;
using System.Net.Http.Json;
using DriverOffers.Server.Common;
using DriverOffers.Server.Features.Auth;
using DriverOffers.Server.Hosting;
using DriverOffers.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using static DriverOffers.Tests.Infrastructure.DriverData;

namespace DriverOffers.Tests.Features.Offers;

/// <summary>Where driver links point when <c>Auth:PublicBaseUrl</c> is not set (this server: AllowedHosts "*", not Development).</summary>
public sealed class OfferLinkBaseTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task A_forged_Host_does_not_become_the_link_texted_to_drivers()
    {
        using var carl = await server.LoginAs("carl.banks");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/offers")
        {
            Content = JsonContent.Create(new
            {
                pickup_location = "Rockford, IL", delivery_location = "Dallas, TX", proposed_rate = 2100m, driver_ids = new[] { Nwee },
            }, options: ApiJson.Options),
        };
        request.Headers.Host = "offers.attacker.example";

        var created = await carl.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var offerId = (await created.Body()).GetProperty("id").GetInt32();
        var link = (await (await carl.GetAsync($"/api/outbox?offer_id={offerId}")).Body())[0].GetProperty("link").GetString()!;
        Assert.StartsWith($"{server.BaseAddress.GetLeftPart(UriPartial.Authority)}/driver/link/", link, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("offers.example.com")]
    [InlineData("ftp://offers.example.com")]
    [InlineData("https://offers.example.com/?x=1")]
    public void A_public_base_url_that_is_not_an_http_address_stops_the_server(string value)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Auth:JwtSecret"] = new string('k', 48),
            ["Auth:PublicBaseUrl"] = value,
        }).Build();
        var environment = new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { EnvironmentName = Environments.Production, ContentRootPath = Path.GetTempPath() };

        var e = Assert.Throws<StartupException>(() => new ServiceCollection().AddDriverOffersAuth(config, environment));

        Assert.StartsWith("Auth:PublicBaseUrl", e.Message, StringComparison.Ordinal);
    }
}

/// <summary>With <c>AllowedHosts</c> naming the hosts, the request's own host is trusted (any other is refused first).</summary>
public sealed class OfferLinkBaseNamedHostsTests(OfferLinkBaseNamedHostsTests.Fixture server) : IClassFixture<OfferLinkBaseNamedHostsTests.Fixture>
{
    public sealed class Fixture : ServerFixture
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["AllowedHosts"] = "offers.test;127.0.0.1;localhost",
        };
    }

    [Fact]
    public async Task Links_use_a_named_host_and_a_request_for_another_host_is_refused()
    {
        using var carl = await server.LoginAs("carl.banks");
        async Task<HttpResponseMessage> Create(string host)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/offers")
            {
                Content = JsonContent.Create(new
                {
                    pickup_location = "Rockford, IL", delivery_location = "Dallas, TX", proposed_rate = 2100m, driver_ids = new[] { Nwee },
                }, options: ApiJson.Options),
            };
            request.Headers.Host = host;
            return await carl.SendAsync(request);
        }

        var named = await Create("offers.test");
        var forged = await Create("offers.attacker.example");

        Assert.Equal(HttpStatusCode.Created, named.StatusCode);
        var offerId = (await named.Body()).GetProperty("id").GetInt32();
        var link = (await (await carl.GetAsync($"/api/outbox?offer_id={offerId}")).Body())[0].GetProperty("link").GetString()!;
        Assert.StartsWith("http://offers.test/driver/link/", link, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
    }
}
