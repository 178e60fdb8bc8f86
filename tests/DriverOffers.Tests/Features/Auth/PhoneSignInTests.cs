using System.Net;
using DriverOffers.Server.Data;
using DriverOffers.Server.Features.Drivers;
using DriverOffers.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static DriverOffers.Tests.Infrastructure.DriverData;

namespace DriverOffers.Tests.Features.Auth;

public sealed class PhoneSignInTests(PhoneSignInTests.Fixture server) : IClassFixture<PhoneSignInTests.Fixture>
{
    public sealed class Fixture : ServerFixture
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Auth:PhoneCodeRequestsPerHourPerNumber"] = "1000",
            ["Auth:PhoneCodeRequestsPerHourPerNumberPerIp"] = "1000",
            ["Auth:PhoneCodeRequestsPerHourPerIp"] = "1000",
            // The tests of this class guess wrong codes for one number, more than a minute's failures allow in all;
            // the per-code tries are what they test.
            ["Auth:LoginAttemptsPerMinutePerUser"] = "1000",
            ["Auth:LoginAttemptsPerMinutePerIp"] = "1000",
            ["Auth:PhoneCodeTriesPerHourPerNumberPerIp"] = "1000",
            ["Auth:PhoneCodeTriesPerHourPerNumber"] = "1000",
        };

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            using var scope = Services.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDb>();
            db.Trucks.Add(new Truck(190, "190", "Inactive", "Parked Driver", "(555) 010-1900", null, null, null, null, null, null, 18, false, DateTime.UtcNow));
            await db.SaveChangesAsync();
        }
    }

    [Fact]
    public async Task Code_texted_to_the_trucks_phone_signs_the_driver_in_whatever_the_number_format()
    {
        using var anon = server.Client();
        var request = await anon.Post("/api/driver/auth/request-code", new { phone = "+1 779-513-2475" });
        Assert.Equal(HttpStatusCode.OK, request.StatusCode);
        var code = server.LatestSignInCode(Nwee);
        Assert.Matches("^[0-9]{6}$", code);

        var verify = await anon.Post("/api/driver/auth/verify-code", new { phone = "7795132475", code });

        Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
        var body = await verify.Body();
        Assert.Equal("Bearer", body.GetProperty("token_type").GetString());
        Assert.Equal(Nwee, body.GetProperty("driver").GetProperty("id").GetInt32());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, body.GetProperty("offer_id").ValueKind);
        using var driver = server.Client(body.GetProperty("access_token").GetString());
        Assert.Equal(Nwee, (await (await driver.GetAsync("/api/me")).Body()).GetProperty("id").GetInt32());
    }

    [Fact]
    public async Task The_answer_is_the_same_for_a_truck_an_inactive_truck_and_an_unknown_number()
    {
        using var anon = server.Client();
        var known = await anon.Post("/api/driver/auth/request-code", new { phone = NweePhone });
        var inactive = await anon.Post("/api/driver/auth/request-code", new { phone = "(555) 010-1900" });
        var unknown = await anon.Post("/api/driver/auth/request-code", new { phone = "(555) 010-9999" });

        var bodies = new[] { known, inactive, unknown };
        Assert.All(bodies, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var texts = await Task.WhenAll(bodies.Select(r => r.Content.ReadAsStringAsync()));
        Assert.Equal(texts[0], texts[1]);
        Assert.Equal(texts[0], texts[2]);
        Assert.Equal(known.Content.Headers.ContentType, unknown.Content.Headers.ContentType);
        // Only the real, active truck got a text.
        Assert.Equal(0, server.Scoped(db => db.Outbox.Count(m => m.TruckId == 190 || m.Recipient == "+15550109999")));
    }

    [Fact]
    public async Task Wrong_code_and_number_without_truck_get_the_same_refusal()
    {
        using var anon = server.Client();
        await anon.Post("/api/driver/auth/request-code", new { phone = NweePhone });
        var code = server.LatestSignInCode(Nwee);
        var wrong = code == "000000" ? "000001" : "000000";

        var wrongCode = await anon.Post("/api/driver/auth/verify-code", new { phone = NweePhone, code = wrong });
        var noTruck = await anon.Post("/api/driver/auth/verify-code", new { phone = "(555) 010-9999", code = wrong });

        Assert.Equal(HttpStatusCode.Unauthorized, wrongCode.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, noTruck.StatusCode);
        var (a, b) = (await wrongCode.Body(), await noTruck.Body());
        Assert.Equal(a.GetProperty("title").GetString(), b.GetProperty("title").GetString());
        Assert.Equal(a.GetProperty("detail").GetString(), b.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task After_five_wrong_tries_even_the_right_code_is_refused()
    {
        using var anon = server.Client();
        await anon.Post("/api/driver/auth/request-code", new { phone = NweePhone });
        var code = server.LatestSignInCode(Nwee);
        var wrong = code == "111111" ? "222222" : "111111";
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anon.Post("/api/driver/auth/verify-code", new { phone = NweePhone, code = wrong })).StatusCode);
        }

        var right = await anon.Post("/api/driver/auth/verify-code", new { phone = NweePhone, code });

        Assert.Equal(HttpStatusCode.Unauthorized, right.StatusCode);
    }

    [Fact]
    public async Task A_few_wrong_tries_still_leave_the_right_code_usable_once()
    {
        using var anon = server.Client();
        await anon.Post("/api/driver/auth/request-code", new { phone = NweePhone });
        var code = server.LatestSignInCode(Nwee);
        var wrong = code == "111111" ? "222222" : "111111";
        for (var i = 0; i < 4; i++)
        {
            await anon.Post("/api/driver/auth/verify-code", new { phone = NweePhone, code = wrong });
        }

        Assert.Equal(HttpStatusCode.OK, (await anon.Post("/api/driver/auth/verify-code", new { phone = NweePhone, code })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anon.Post("/api/driver/auth/verify-code", new { phone = NweePhone, code })).StatusCode);
    }

    [Fact]
    public async Task Asking_for_a_new_code_retires_the_previous_one()
    {
        using var anon = server.Client();
        await anon.Post("/api/driver/auth/request-code", new { phone = NweePhone });
        var first = server.LatestSignInCode(Nwee);
        await anon.Post("/api/driver/auth/request-code", new { phone = NweePhone });
        var second = server.LatestSignInCode(Nwee);

        if (first != second)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anon.Post("/api/driver/auth/verify-code", new { phone = NweePhone, code = first })).StatusCode);
        }
        Assert.Equal(HttpStatusCode.OK, (await anon.Post("/api/driver/auth/verify-code", new { phone = NweePhone, code = second })).StatusCode);
    }

    [Fact]
    public async Task Malformed_phone_and_code_are_400s_naming_the_fields()
    {
        using var anon = server.Client();
        var request = await anon.Post("/api/driver/auth/request-code", new { phone = "call me" });
        var verify = await anon.Post("/api/driver/auth/verify-code", new { phone = "12", code = "12ab" });

        Assert.Equal(HttpStatusCode.BadRequest, request.StatusCode);
        Assert.Contains("phone", await request.ErrorFields());
        Assert.Equal(HttpStatusCode.BadRequest, verify.StatusCode);
        Assert.Equal(["code", "phone"], (await verify.ErrorFields()).Order());
    }
}

/// <summary>A clock the test moves forward: codes must die 10 minutes after they were sent.</summary>
public sealed class PhoneCodeExpiryTests(PhoneCodeExpiryTests.Fixture server) : IClassFixture<PhoneCodeExpiryTests.Fixture>
{
    public sealed class Fixture : ServerFixture
    {
        public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

        protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);
    }

    [Fact]
    public async Task A_code_expires_ten_minutes_after_it_was_sent()
    {
        using var anon = server.Client();
        await anon.Post("/api/driver/auth/request-code", new { phone = NweePhone });
        var code = server.LatestSignInCode(Nwee);

        server.Clock.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
        var late = await anon.Post("/api/driver/auth/verify-code", new { phone = NweePhone, code });

        Assert.Equal(HttpStatusCode.Unauthorized, late.StatusCode);
    }
}

public sealed class PhoneCodeRateLimitPerNumberTests(PhoneCodeRateLimitPerNumberTests.Fixture server)
    : IClassFixture<PhoneCodeRateLimitPerNumberTests.Fixture>
{
    public sealed class Fixture : ServerFixture
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Auth:PhoneCodeRequestsPerHourPerNumber"] = "3",
            ["Auth:PhoneCodeRequestsPerHourPerNumberPerIp"] = "1000",
            ["Auth:PhoneCodeRequestsPerHourPerIp"] = "1000",
        };
    }

    [Fact]
    public async Task Requests_per_number_are_limited_alike_for_known_and_unknown_numbers()
    {
        using var anon = server.Client();
        foreach (var phone in new[] { NweePhone, "(555) 010-7777" })
        {
            for (var i = 0; i < 3; i++)
            {
                Assert.Equal(HttpStatusCode.OK, (await anon.Post("/api/driver/auth/request-code", new { phone })).StatusCode);
            }
            // The same number in another format is the same number.
            var blocked = await anon.Post("/api/driver/auth/request-code", new { phone = "+1 " + phone });
            Assert.Equal((HttpStatusCode)429, blocked.StatusCode);
            Assert.True(blocked.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        }
        Assert.Equal(3, server.Scoped(db => db.Outbox.Count(m => m.TruckId == Nwee)));
    }
}

public sealed class PhoneCodeRateLimitPerAddressTests(PhoneCodeRateLimitPerAddressTests.Fixture server)
    : IClassFixture<PhoneCodeRateLimitPerAddressTests.Fixture>
{
    public sealed class Fixture : ServerFixture
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Auth:PhoneCodeRequestsPerHourPerNumber"] = "1000",
            ["Auth:PhoneCodeRequestsPerHourPerNumberPerIp"] = "1000",
            ["Auth:PhoneCodeRequestsPerHourPerIp"] = "4",
        };
    }

    [Fact]
    public async Task Requests_from_one_address_are_limited_across_numbers()
    {
        using var anon = server.Client();
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await anon.Post("/api/driver/auth/request-code", new { phone = $"(555) 010-200{i}" })).StatusCode);
        }

        var blocked = await anon.Post("/api/driver/auth/request-code", new { phone = NweePhone });

        Assert.Equal((HttpStatusCode)429, blocked.StatusCode);
        Assert.Equal(0, server.Scoped(db => db.Outbox.Count(m => m.TruckId == Nwee)));
    }
}
