using System.Net;
using System.Security.Claims;
using System.Text;
using DriverOffers.Server.Common;
using DriverOffers.Server.Features.Auth;
using DriverOffers.Server.Realtime;
using DriverOffers.Tests.Infrastructure;
using DriverOffers.Tests.Realtime;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace DriverOffers.Tests.Features.Auth;

/// <summary>
/// Hub requests are authenticated by <see cref="AuthenticateHubRequest"/> instead of the authentication and
/// authorization middlewares: what it accepts (checked on the middleware itself, with the running server's services and
/// the hub's real endpoint), and that whatever it doesn't accept is refused on the hub exactly as REST refuses it.
/// </summary>
public sealed class AuthenticateHubRequestTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task A_valid_header_token_is_accepted_with_only_the_callers_claims_and_forgotten()
    {
        var (http, ran) = await Invoke("/hubs/offers", "?id=abc", "Bearer " + server.DriverToken(107));

        Assert.True(ran());
        Assert.True(AuthenticateHubRequest.Accepted(http));
        Assert.Equal(new Caller(107, Caller.DriverRole, "Driver 107"), Caller.From(http.User));
        Assert.Equal([Caller.SubjectClaim, Caller.RoleClaim, Caller.NameClaim], http.User.Claims.Select(c => c.Type));
        Assert.False(http.Request.Headers.ContainsKey("Authorization"));
    }

    [Fact]
    public async Task A_valid_query_token_is_accepted_and_dropped_from_the_url()
    {
        var token = await server.DispatcherToken("carl.banks");
        var (http, ran) = await Invoke("/hubs/offers", $"?id=abc&access_token={token}");

        Assert.True(ran());
        Assert.True(AuthenticateHubRequest.Accepted(http));
        Assert.Equal(HubKit.Carl, Caller.From(http.User)!.Id);
        Assert.Equal("?id=abc", http.Request.QueryString.Value);
    }

    [Fact]
    public async Task The_negotiate_request_is_accepted_too()
    {
        var (http, _) = await Invoke("/hubs/offers/negotiate", "?negotiateVersion=1", "Bearer " + server.DriverToken(107));
        Assert.True(AuthenticateHubRequest.Accepted(http));
    }

    public static TheoryData<string> Refused => new()
    {
        "expired",
        "forged",
        "other audience",
        "other issuer",
        "unsigned",
        "no expiry",
        "garbage",
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task A_bad_token_is_left_to_the_bearer_handler_untouched(string kind)
    {
        var (http, ran) = await Invoke("/hubs/offers", "", "Bearer " + Token(kind));

        Assert.True(ran());
        Assert.False(AuthenticateHubRequest.Accepted(http));
        Assert.False(http.User.Identity?.IsAuthenticated);
        Assert.Equal("Bearer " + Token(kind), http.Request.Headers.Authorization.ToString());
    }

    [Fact]
    public async Task Other_paths_are_left_to_the_middlewares()
    {
        var (http, ran) = await Invoke("/api/me", "", "Bearer " + server.DriverToken(107));

        Assert.True(ran());
        Assert.False(AuthenticateHubRequest.Accepted(http));
        Assert.False(http.User.Identity?.IsAuthenticated);
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task A_bad_token_is_refused_on_the_hub_as_on_rest(string kind)
    {
        using var client = server.Client(Token(kind));
        var rest = await client.GetAsync("/api/me");
        var negotiate = await client.PostAsync("/hubs/offers/negotiate?negotiateVersion=1", null);

        Assert.Equal(HttpStatusCode.Unauthorized, rest.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, negotiate.StatusCode);
        Assert.Equal(rest.Headers.WwwAuthenticate.ToString(), negotiate.Headers.WwwAuthenticate.ToString());
    }

    [Theory]
    [InlineData("expired")]
    [InlineData("forged")]
    public async Task A_websocket_with_a_bad_query_token_is_refused(string kind)
    {
        var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(server.BaseAddress, $"/hubs/offers?access_token={Token(kind)}"), o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
            })
            .Build();
        await using (hub)
        {
            await Assert.ThrowsAnyAsync<Exception>(() => hub.StartAsync());
            Assert.Equal(HubConnectionState.Disconnected, hub.State);
        }
    }

    [Fact]
    public async Task A_connection_opened_with_the_header_token_works()
    {
        await using var driver = await server.ConnectDriver(107);
        await driver.Hub.InvokeAsync<System.Text.Json.JsonElement>("heartbeat", new { });
        Assert.Equal(HubConnectionState.Connected, driver.Hub.State);
    }

    private Task<(HttpContext Http, Func<bool> Ran)> Invoke(string path, string query, string? authorization = null) =>
        Invoke(server.Services, path, query, authorization);

    /// <summary>Runs the middleware alone on a request for <paramref name="path"/>, routed to the server's real endpoint.</summary>
    internal static async Task<(HttpContext Http, Func<bool> Ran)> Invoke(IServiceProvider services, string path, string query, string? authorization = null)
    {
        var ran = false;
        var middleware = ActivatorUtilities.CreateInstance<AuthenticateHubRequest>(services, (RequestDelegate)(_ =>
        {
            ran = true;
            return Task.CompletedTask;
        }));
        var http = new DefaultHttpContext { RequestServices = services };
        http.Request.Method = "POST";
        http.Request.Path = path;
        http.Request.QueryString = new QueryString(query);
        if (authorization is not null)
        {
            http.Request.Headers.Authorization = authorization;
        }
        http.SetEndpoint(HubEndpoint(services, path));
        await middleware.InvokeAsync(http);
        return (http, () => ran);
    }

    private static RouteEndpoint HubEndpoint(IServiceProvider services, string path)
    {
        var endpoints = services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>();
        return endpoints.First(e => string.Equals("/" + e.RoutePattern.RawText?.TrimStart('/'), path, StringComparison.OrdinalIgnoreCase));
    }

    private static string Token(string kind)
    {
        var now = DateTime.UtcNow;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = ServerFixture.Issuer,
            Audience = ServerFixture.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(10),
            Subject = new ClaimsIdentity([
                new Claim(Caller.SubjectClaim, "107"),
                new Claim(Caller.RoleClaim, Caller.DriverRole),
                new Claim(Caller.NameClaim, "Driver 107"),
            ]),
            SigningCredentials = Signing(ServerFixture.JwtSecret),
        };
        var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = kind != "no expiry" };
        switch (kind)
        {
            case "expired":
                (descriptor.IssuedAt, descriptor.NotBefore, descriptor.Expires) = (now.AddHours(-2), now.AddHours(-2), now.AddMinutes(-5));
                break;
            case "forged":
                descriptor.SigningCredentials = Signing("not-the-server-secret-not-the-server-secret-0123");
                break;
            case "other audience":
                descriptor.Audience = "someone-else";
                break;
            case "other issuer":
                descriptor.Issuer = "someone-else";
                break;
            case "unsigned":
                descriptor.SigningCredentials = null;
                break;
            case "no expiry":
                (descriptor.IssuedAt, descriptor.NotBefore, descriptor.Expires) = (null, null, null);
                break;
            case "garbage":
                return "not.a.token";
        }
        return handler.CreateToken(descriptor);
    }

    private static SigningCredentials Signing(string secret) =>
        new(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(secret)), SecurityAlgorithms.HmacSha256);
}
