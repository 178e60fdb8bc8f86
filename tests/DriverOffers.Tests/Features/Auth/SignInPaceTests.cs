using System.Diagnostics;
using System.Globalization;
using System.Net;
using DriverOffers.Server.Features.Auth;
using DriverOffers.Tests.Infrastructure;
using static DriverOffers.Tests.Infrastructure.DriverData;

namespace DriverOffers.Tests.Features.Auth;

public sealed class SignInPaceTests(SignInPaceTests.Fixture server) : IClassFixture<SignInPaceTests.Fixture>
{
    /// <summary>The product's pace (the base fixture turns it off for every other class); the request limits are lifted.</summary>
    public sealed class Fixture : ServerFixture
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Auth:SignInPaceMilliseconds"] = Pace.TotalMilliseconds.ToString(CultureInfo.InvariantCulture),
            ["Auth:PhoneCodeRequestsPerHourPerNumber"] = "1000",
            ["Auth:PhoneCodeRequestsPerHourPerNumberPerIp"] = "1000",
            ["Auth:PhoneCodeRequestsPerHourPerIp"] = "1000",
        };
    }

    private static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(new AuthOptions().SignInPaceMilliseconds);

    /// <summary>How long the answer took, seen from the caller. Only a lower bound is asserted: the server guarantees it,
    /// so it can't fail by chance, and without the pace an unknown account's refusal came back in a few milliseconds.</summary>
    private async Task<(HttpStatusCode Status, TimeSpan Took)> Timed(string url, object body)
    {
        using var anonymous = server.Client();
        var started = Stopwatch.GetTimestamp();
        var response = await anonymous.Post(url, body);
        return (response.StatusCode, Stopwatch.GetElapsedTime(started));
    }

    [Fact]
    public async Task A_refused_sign_in_takes_the_pace_whether_the_username_is_unknown_or_the_password_wrong()
    {
        foreach (var username in new[] { "nobody-" + Guid.NewGuid().ToString("N")[..8], "nobody@example.com", "carl.banks" })
        {
            var (status, took) = await Timed("/api/auth/login", new { username, password = "not-the-password" });
            Assert.Equal(HttpStatusCode.Unauthorized, status);
            Assert.True(took >= Pace, $"{username}: refused after {took.TotalMilliseconds} ms");
        }
    }

    [Fact]
    public async Task A_code_request_and_a_refused_code_take_the_pace_whether_or_not_the_number_has_a_truck()
    {
        foreach (var phone in new[] { NweePhone, "(555) 010-" + Random.Shared.Next(1000, 9999) })
        {
            var (requested, requestTook) = await Timed("/api/driver/auth/request-code", new { phone });
            Assert.Equal(HttpStatusCode.OK, requested);
            Assert.True(requestTook >= Pace, $"{phone}: code request answered after {requestTook.TotalMilliseconds} ms");
            var wrong = phone == NweePhone && server.LatestSignInCode(Nwee) == "000000" ? "000001" : "000000";
            var (verified, verifyTook) = await Timed("/api/driver/auth/verify-code", new { phone, code = wrong });
            Assert.Equal(HttpStatusCode.Unauthorized, verified);
            Assert.True(verifyTook >= Pace, $"{phone}: wrong code refused after {verifyTook.TotalMilliseconds} ms");
        }
    }
}
