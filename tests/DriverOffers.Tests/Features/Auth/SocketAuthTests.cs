using System.Net;
using DriverOffers.Server.Features.Auth;
using DriverOffers.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace DriverOffers.Tests.Features.Auth;

public sealed class SocketAuthTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task A_bearer_token_is_validated_and_answered_with_who_it_is_and_where_the_hub_is()
    {
        using var carl = await server.LoginAs("carl.banks");

        var response = await carl.PostAsync("/api/socket/auth", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Body();
        Assert.True(body.GetProperty("valid").GetBoolean());
        Assert.Equal(18, body.GetProperty("user").GetProperty("id").GetInt32());
        Assert.Equal("dispatcher", body.GetProperty("user").GetProperty("user_type").GetString());
        Assert.Equal("/hubs/offers", body.GetProperty("hub_path").GetString());
    }

    [Theory]
    [InlineData("token")]
    [InlineData("access_token")]
    public async Task A_token_in_the_body_is_validated_the_same_way(string field)
    {
        var dispatcher = ServerFixture.TokenOf(await server.LoginAs("carl.banks"));
        var driver = server.Services.GetRequiredService<TokenService>().ForDriver(107, "Nwee Ler").Token;
        using var anonymous = server.Client();

        var asDispatcher = await anonymous.Post("/api/socket/auth", new Dictionary<string, string> { [field] = dispatcher });
        var asDriver = await anonymous.Post("/api/socket/auth", new Dictionary<string, string> { [field] = driver });

        Assert.Equal(HttpStatusCode.OK, asDispatcher.StatusCode);
        Assert.Equal("carl.banks", (await asDispatcher.Body()).GetProperty("user").GetProperty("username").GetString());
        Assert.Equal(HttpStatusCode.OK, asDriver.StatusCode);
        var driverBody = await asDriver.Body();
        Assert.Equal("driver", driverBody.GetProperty("user").GetProperty("user_type").GetString());
        Assert.Equal(107, driverBody.GetProperty("user").GetProperty("id").GetInt32());
    }

    [Fact]
    public async Task A_bad_or_missing_token_is_401_saying_how_to_send_one()
    {
        var token = ServerFixture.TokenOf(await server.LoginAs("carl.banks"));
        using var anonymous = server.Client();

        var tampered = await anonymous.Post("/api/socket/auth", new { token = token[..^2] + "xx" });
        var none = await anonymous.PostAsync("/api/socket/auth", null);
        var empty = await anonymous.Post("/api/socket/auth", new { });
        using var badHeader = server.Client("not-a-token");
        var headerWins = await badHeader.Post("/api/socket/auth", new { token });
        var unknown = await anonymous.Post("/api/socket/auth", new { jwt = token });

        Assert.Equal(HttpStatusCode.Unauthorized, tampered.StatusCode);
        Assert.Contains("invalid", (await tampered.Body()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        foreach (var refused in new[] { none, empty })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Contains("{\"token\": ", (await refused.Body()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
        Assert.Equal(HttpStatusCode.Unauthorized, headerWins.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("jwt", await unknown.ErrorFields());
    }

    [Fact]
    public async Task A_well_signed_token_of_a_truck_that_is_not_active_is_refused_in_the_body_too()
    {
        var token = server.Services.GetRequiredService<TokenService>().ForDriver(999_001, "Nobody").Token;
        using var anonymous = server.Client();

        var response = await anonymous.Post("/api/socket/auth", new { token });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
