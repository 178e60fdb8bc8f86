using System.Net;
using DriverOffers.Server.Data;
using DriverOffers.Server.Features.Auth;
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
    public async Task A_dispatcher_signs_in_with_the_e_mail_sent_as_email()
    {
        using var client = server.Client();
        var response = await client.Post("/api/auth/login", new { email = "carl.banks@example.com", password = DemoData.Password });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(18, (await response.Body()).GetProperty("user").GetProperty("id").GetInt32());
        var wrong = await client.Post("/api/auth/login", new { email = "carl.banks@example.com", password = "nope" });
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
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

public sealed class LoginThrottleTests(LoginThrottleTests.Fixture server) : IClassFixture<LoginThrottleTests.Fixture>
{
    public sealed class Fixture : ServerFixture
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Auth:LoginAttemptsPerMinutePerUser"] = "3",
            ["Auth:LoginAttemptsPerMinutePerIp"] = "1000",
        };
    }

    [Fact]
    public async Task Guessing_one_account_is_cut_off_with_a_problem_saying_when_to_try_again()
    {
        using var client = server.Client();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized,
                (await client.Post("/api/auth/login", new { username = "carl.banks", password = $"guess{i}" })).StatusCode);
        }

        // The right password no longer helps within the window, and another account is not affected.
        var blocked = await client.Post("/api/auth/login", new { username = "carl.banks", password = DemoData.Password });
        var other = await client.Post("/api/auth/login", new { username = "leo.durand", password = DemoData.Password });

        Assert.Equal((HttpStatusCode)429, blocked.StatusCode);
        Assert.Equal("application/problem+json", blocked.Content.Headers.ContentType?.MediaType);
        var problem = await blocked.Body();
        Assert.Equal("https://tools.ietf.org/html/rfc6585#section-4", problem.GetProperty("type").GetString());
        Assert.Equal(429, problem.GetProperty("status").GetInt32());
        var seconds = problem.GetProperty("retry_after_seconds").GetInt32();
        Assert.InRange(seconds, 1, 60);
        Assert.Equal(TimeSpan.FromSeconds(seconds), blocked.Headers.RetryAfter?.Delta);
        Assert.Contains($"{seconds} seconds", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }
}

/// <summary>With the product's default sign-in limits (the test server keeps them): only failures count, so signing in
/// often (a script, a shared office address, a test suite) is never refused.</summary>
public sealed class LoginDefaultLimitsTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Signing_in_with_the_right_password_many_times_a_minute_is_never_refused()
    {
        var defaults = new AuthOptions();
        var times = Math.Max(defaults.LoginAttemptsPerMinutePerIp, defaults.LoginAttemptsPerMinutePerUser) + 5;
        using var client = server.Client();
        for (var i = 0; i < times; i++)
        {
            var response = await client.Post("/api/auth/login", new { username = "carl.banks", password = DemoData.Password });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }
}

public sealed class CheckPasswordTests
{
    private static readonly string Hash = User.HashLikePhp("right-password", workFactor: 4);

    private static User Someone(bool active, string hash) =>
        new(1, "someone", "someone@example.com", hash, "Someone", null, User.Dispatcher, active, DateTime.UtcNow);

    [Fact]
    public void Only_an_active_user_with_the_right_password_is_signed_in()
    {
        Assert.True(User.CheckPassword(Someone(active: true, Hash), "right-password"));
        Assert.False(User.CheckPassword(Someone(active: true, Hash), "wrong-password"));
        Assert.False(User.CheckPassword(Someone(active: false, Hash), "right-password"));
        Assert.False(User.CheckPassword(null, "right-password"));
        Assert.False(User.CheckPassword(Someone(active: true, "not-a-bcrypt-hash"), "not-a-bcrypt-hash"));
        Assert.False(User.CheckPassword(Someone(active: true, ""), ""));
    }
}
