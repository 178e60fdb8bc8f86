using System.Net;
using System.Net.Http.Json;
using DriverOffers.Server.Common;
using DriverOffers.Server.Hosting;
using DriverOffers.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DriverOffers.Tests.Hosting;

/// <summary>Without <c>Network:KnownProxies</c> / <c>KnownNetworks</c> (the default), <c>X-Forwarded-For</c> is ignored.</summary>
public sealed class NoTrustedProxyTests(NoTrustedProxyTests.Fixture server) : IClassFixture<NoTrustedProxyTests.Fixture>
{
    public sealed class Fixture : ServerFixture
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Auth:LoginAttemptsPerMinutePerIp"] = "2",
            ["Auth:LoginAttemptsPerMinutePerUser"] = "1000",
        };
    }

    [Fact]
    public async Task A_client_naming_another_address_in_X_Forwarded_For_still_counts_as_its_own()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await WrongPassword(server, from: "203.0.113.1")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await WrongPassword(server, from: "203.0.113.2")).StatusCode);

        Assert.Equal((HttpStatusCode)429, (await WrongPassword(server, from: "203.0.113.3")).StatusCode);
    }

    [Fact]
    public void An_entry_that_is_not_an_address_or_a_network_stops_the_server_naming_the_setting()
    {
        var proxies = Assert.Throws<StartupException>(() => Add(("Network:KnownProxies:0", "proxy.internal")));
        var networks = Assert.Throws<StartupException>(() => Add(("Network:KnownNetworks:0", "10.0.0.0/33")));

        Assert.StartsWith("Network:KnownProxies: 'proxy.internal'", proxies.Message, StringComparison.Ordinal);
        Assert.StartsWith("Network:KnownNetworks: '10.0.0.0/33'", networks.Message, StringComparison.Ordinal);
    }

    private static void Add(params (string Key, string Value)[] settings) => new ServiceCollection().AddTrustedProxies(
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build());

    internal static async Task<HttpResponseMessage> WrongPassword(ServerFixture server, string from)
    {
        using var client = server.Client();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login")
        {
            Content = JsonContent.Create(new { username = "carl.banks", password = "wrong" }, options: ApiJson.Options),
        };
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", from);
        return await client.SendAsync(request);
    }
}

/// <summary>Behind a proxy on loopback (<c>Network:KnownNetworks</c>): each client's address is its own.</summary>
public sealed class TrustedProxyTests(TrustedProxyTests.Fixture server) : IClassFixture<TrustedProxyTests.Fixture>
{
    public sealed class Fixture : ServerFixture
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Network:KnownNetworks:0"] = "127.0.0.0/8",
            ["Network:KnownNetworks:1"] = "::1/128",
            ["Auth:LoginAttemptsPerMinutePerIp"] = "2",
            ["Auth:LoginAttemptsPerMinutePerUser"] = "1000",
        };
    }

    [Fact]
    public async Task Sign_in_failures_are_counted_per_client_address_the_proxy_forwards()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await NoTrustedProxyTests.WrongPassword(server, from: "203.0.113.1")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await NoTrustedProxyTests.WrongPassword(server, from: "203.0.113.1")).StatusCode);

        Assert.Equal((HttpStatusCode)429, (await NoTrustedProxyTests.WrongPassword(server, from: "203.0.113.1")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await NoTrustedProxyTests.WrongPassword(server, from: "198.51.100.1")).StatusCode);
    }
}
