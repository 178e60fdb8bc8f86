using System.Net;
using DriverOffers.Server.Data;
using DriverOffers.Tests.Infrastructure;

namespace DriverOffers.Tests.Features.Auth;

public sealed class LoginTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Demo_dispatcher_signs_in_with_the_php_bcrypt_hash_and_gets_a_token()
    {
        using var client = server.Client();
        var response = await client.Post("/api/auth/login", new { username = "carl.banks", password = DemoData.Password });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Body();
        Assert.Equal("Bearer", body.GetProperty("token_type").GetString());
        Assert.True(body.GetProperty("expires_in").GetInt32() > 0);
        Assert.Equal(18, body.GetProperty("user").GetProperty("id").GetInt32());
        Assert.Equal("dispatcher", body.GetProperty("user").GetProperty("role").GetString());
        var stored = server.Scoped(db => db.Users.Single(u => u.Id == 18).Password);
        Assert.StartsWith("$2y$", stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_password_is_refused_with_401()
    {
        using var client = server.Client();
        var response = await client.Post("/api/auth/login", new { username = "carl.banks", password = "nope" });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Unknown_properties_are_refused_naming_the_field()
    {
        using var client = server.Client();
        var response = await client.Post("/api/auth/login", new { username = "carl.banks", password = "x", role = "admin" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("role", await response.ErrorFields());
    }

    [Fact]
    public async Task Me_describes_the_signed_in_user()
    {
        using var carl = await server.LoginAs("carl.banks");
        var me = await (await carl.GetAsync("/api/me")).Body();
        Assert.Equal("Carl Banks", me.GetProperty("name").GetString());
        Assert.Equal("dispatcher", me.GetProperty("user_type").GetString());
    }

    [Fact]
    public async Task Me_without_a_token_is_401()
    {
        using var client = server.Client();
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/me")).StatusCode);
    }
}
