using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using DriverOffers.Server.Data;
using DriverOffers.Server.Features.Auth;
using DriverOffers.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Xunit;

namespace DriverOffers.Tests.Features.Auth;

/// <summary>
/// With legacy tokens enabled, one server takes both ours and the PHP system's (the policy scheme picks by issuer);
/// without, the default scheme is ours alone, with no selector in between.
/// </summary>
public sealed class LegacyTokenTests(LegacyTokenTests.Server server) : IClassFixture<LegacyTokenTests.Server>
{
    private const string LegacySecret = "legacy-php-secret-legacy-php-secret-0123456789";

    public sealed class Server : ServerFixture
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Auth:Legacy:Enabled"] = "true",
            ["Auth:Legacy:Secret"] = LegacySecret,
            ["Auth:AccountRefreshSeconds"] = "1",
        };
    }

    [Fact]
    public async Task A_legacy_token_and_our_own_both_sign_in_to_rest_and_the_hub()
    {
        using var legacy = server.Client(LegacyToken(userId: 18, role: "dispatcher", LegacySecret));
        var me = await legacy.GetFromJsonAsync<JsonElement>("/api/me");
        Assert.Equal(18, me.GetProperty("id").GetInt32());
        await using (var hub = await server.Hub(LegacyToken(userId: 18, role: "dispatcher", LegacySecret)))
        {
            Assert.Equal(Microsoft.AspNetCore.SignalR.Client.HubConnectionState.Connected, hub.State);
        }

        using var ours = await server.LoginAs("carl.banks");
        Assert.Equal(HttpStatusCode.OK, (await ours.GetAsync("/api/me")).StatusCode);
        Assert.Equal("BearerOrLegacy", (await DefaultScheme(server.Services)).Name);
    }

    [Fact]
    public async Task The_hub_accepts_a_legacy_token_itself_with_the_role_from_the_users_table()
    {
        // User 18 is a dispatcher; the token claims admin, which the users table overrules.
        var (http, _) = await AuthenticateHubRequestTests.Invoke(server.Services, "/hubs/offers", "",
            "Bearer " + LegacyToken(userId: 18, role: "admin", LegacySecret));

        Assert.True(AuthenticateHubRequest.Accepted(http));
        Assert.Equal(new DriverOffers.Server.Common.Caller(18, "dispatcher", "Carl Banks"), DriverOffers.Server.Common.Caller.From(http.User));
        Assert.Equal(AuthSetup.Legacy, http.User.Identity!.AuthenticationType);
    }

    [Theory]
    [InlineData(999_999, LegacySecret)]
    [InlineData(18, "not-the-legacy-secret-not-the-legacy-secret-0123")]
    public async Task The_hub_leaves_an_unknown_user_or_a_forged_legacy_token_to_the_bearer_handler(int userId, string secret)
    {
        var token = LegacyToken(userId, role: "dispatcher", secret);
        var (http, _) = await AuthenticateHubRequestTests.Invoke(server.Services, "/hubs/offers", "", "Bearer " + token);
        Assert.False(AuthenticateHubRequest.Accepted(http));
        Assert.False(http.User.Identity?.IsAuthenticated);

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => server.Hub(token));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task A_legacy_token_names_a_user_created_after_the_server_started_and_is_refused_once_they_are_disabled()
    {
        var id = 80_000 + Random.Shared.Next(10_000);
        server.Scoped(db =>
        {
            db.Users.Add(new User(id, $"legacy{id}", $"legacy{id}@example.com", "$2y$10$notusedbythistest", "Dana Legacy", null, User.Manager, isActive: true, DateTime.UtcNow));
            return db.SaveChanges();
        });
        var token = LegacyToken(id, role: "dispatcher", LegacySecret);
        using var client = server.Client(token);

        // Role and name come from the users table, not from the token.
        var (http, _) = await AuthenticateHubRequestTests.Invoke(server.Services, "/hubs/offers", "", "Bearer " + token);
        Assert.Equal(new DriverOffers.Server.Common.Caller(id, "manager", "Dana Legacy"), DriverOffers.Server.Common.Caller.From(http.User));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/offers")).StatusCode);

        server.ExecuteLegacySql($"UPDATE [users] SET [is_active] = FALSE WHERE [id] = {id}");
        await DriverData.Eventually(async () => (await client.GetAsync("/api/offers")).StatusCode == HttpStatusCode.Unauthorized, "the disabled user's legacy token refused");
    }

    [Fact]
    public async Task A_legacy_token_signed_with_another_secret_is_refused()
    {
        using var forged = server.Client(LegacyToken(userId: 18, role: "dispatcher", "not-the-legacy-secret-not-the-legacy-secret-0123"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await forged.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public void A_legacy_secret_too_short_for_HS256_stops_the_server_from_starting_with_a_message_saying_so()
    {
        // 31 bytes: every token signed with it would be refused ("signature key was not found").
        var config = Microsoft.Extensions.Configuration.MemoryConfigurationBuilderExtensions.AddInMemoryCollection(new Microsoft.Extensions.Configuration.ConfigurationBuilder(), new Dictionary<string, string?>
        {
            ["Auth:JwtSecret"] = ServerFixture.JwtSecret,
            ["Auth:Legacy:Enabled"] = "true",
            ["Auth:Legacy:Secret"] = new string('s', 31),
        }).Build();
        var environment = new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { ContentRootPath = Path.GetTempPath() };
        var e = Assert.Throws<DriverOffers.Server.Hosting.StartupException>(() => { new ServiceCollection().AddDriverOffersAuth(config, environment); });
        Assert.Contains("Auth:Legacy:Secret", e.Message);
        Assert.Contains("at least 32 bytes", e.Message);
    }

    public sealed class WithoutLegacy(ServerFixture plain) : IClassFixture<ServerFixture>
    {
        [Fact]
        public async Task Our_scheme_is_the_default_and_a_legacy_token_is_refused()
        {
            Assert.Equal(AuthSetup.Ours, (await DefaultScheme(plain.Services)).Name);
            using var legacy = plain.Client(LegacyToken(userId: 18, role: "dispatcher", LegacySecret));
            Assert.Equal(HttpStatusCode.Unauthorized, (await legacy.GetAsync("/api/me")).StatusCode);
        }
    }

    private static async Task<AuthenticationScheme> DefaultScheme(IServiceProvider services) =>
        (await services.GetRequiredService<IAuthenticationSchemeProvider>().GetDefaultAuthenticateSchemeAsync())!;

    private static string LegacyToken(int userId, string role, string secret) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Claims = new Dictionary<string, object> { ["user_id"] = userId, ["role"] = role, ["username"] = "carl" },
        Expires = DateTime.UtcNow.AddMinutes(10),
        SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(secret)), SecurityAlgorithms.HmacSha256),
    });
}
