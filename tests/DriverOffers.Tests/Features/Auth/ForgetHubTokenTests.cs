using DriverOffers.Server.Features.Auth;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace DriverOffers.Tests.Features.Auth;

public sealed class ForgetHubTokenTests
{
    private static DefaultHttpContext Request(string path, string query, string? authorization = null)
    {
        var http = new DefaultHttpContext();
        http.Request.Path = path;
        http.Request.QueryString = new QueryString(query);
        http.Features.Get<IHttpRequestFeature>()!.RawTarget = path + query;
        if (authorization is not null)
        {
            http.Request.Headers.Authorization = authorization;
        }
        return http;
    }

    [Fact]
    public void A_hub_request_keeps_its_other_parameters_but_not_the_query_token()
    {
        var http = Request("/hubs/offers", "?id=c0nn3ct10n&access_token=header.payload.signature");

        AuthSetup.ForgetHubToken(http);

        Assert.Equal("?id=c0nn3ct10n", http.Request.QueryString.Value);
        Assert.Equal("c0nn3ct10n", http.Request.Query["id"]);
        Assert.False(http.Request.Query.ContainsKey("access_token"));
        Assert.Equal("/hubs/offers?id=c0nn3ct10n", http.Features.Get<IHttpRequestFeature>()!.RawTarget);
    }

    [Fact]
    public void A_hub_request_drops_the_authorization_header()
    {
        var http = Request("/hubs/offers", "", "Bearer header.payload.signature");

        AuthSetup.ForgetHubToken(http);

        Assert.False(http.Request.Headers.ContainsKey("Authorization"));
        Assert.Equal("/hubs/offers", http.Features.Get<IHttpRequestFeature>()!.RawTarget);
    }

    [Fact]
    public void Other_requests_are_left_alone()
    {
        var http = Request("/api/offers", "?access_token=x", "Bearer header.payload.signature");

        AuthSetup.ForgetHubToken(http);

        Assert.Equal("Bearer header.payload.signature", http.Request.Headers.Authorization.ToString());
        Assert.Equal("?access_token=x", http.Request.QueryString.Value);
    }
}
