using DriverOffers.Server.Common;
using Microsoft.Extensions.Options;

namespace DriverOffers.Server.Features.Auth;

/// <summary>
/// Hourly limits on phone sign-in code requests, per phone number and per client IP: each request may cost an SMS,
/// and without a per-number limit anyone could flood a driver's phone. Unknown numbers count the same as known ones,
/// so the 429 itself says nothing about whether a number belongs to a truck.
/// </summary>
public sealed class PhoneCodeThrottle(IOptions<AuthOptions> options) : KeyedWindowLimiter(
    key => key.StartsWith("ip:", StringComparison.Ordinal)
        ? options.Value.PhoneCodeRequestsPerHourPerIp
        : options.Value.PhoneCodeRequestsPerHourPerNumber,
    TimeSpan.FromHours(1))
{
    /// <summary>Takes one request from the IP and the number; returns the wait when either is exhausted.</summary>
    public TimeSpan? TryAcquire(string ip, string phone) => TryAcquireAll($"ip:{ip}", $"phone:{phone}");
}
