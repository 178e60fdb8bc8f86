using DriverOffers.Server.Common;
using Microsoft.Extensions.Options;

namespace DriverOffers.Server.Features.Auth;

/// <summary>
/// Hourly limits on phone sign-in code requests: each request may cost an SMS, and anyone could flood a driver's phone.
/// <list type="bullet">
/// <item>per client IP, across numbers (<c>PhoneCodeRequestsPerHourPerIp</c>, 60): one client can't text a whole fleet;</item>
/// <item>per number from one IP (<c>PhoneCodeRequestsPerHourPerNumberPerIp</c>, 3): a stranger who knows a driver's
/// number uses up only their own allowance for it, not the driver's;</item>
/// <item>per number from everywhere (<c>PhoneCodeRequestsPerHourPerNumber</c>, 30): the cap on texts to one phone, high
/// enough that keeping the driver from a code takes ten addresses an hour.</item>
/// </list>
/// A single per-number limit (10 an hour) let anyone who knew the number keep its driver from getting a code
/// (docs/decisions/110-sign-out-and-the-limits-strangers-hit.md). Unknown numbers count the same as known ones, so the
/// 429 itself says nothing about whether a number belongs to a truck.
/// </summary>
public sealed class PhoneCodeThrottle(IOptions<AuthOptions> options) : KeyedWindowLimiter(
    key => key switch
    {
        _ when key.StartsWith("ip:", StringComparison.Ordinal) => options.Value.PhoneCodeRequestsPerHourPerIp,
        _ when key.StartsWith("phone-ip:", StringComparison.Ordinal) => options.Value.PhoneCodeRequestsPerHourPerNumberPerIp,
        _ => options.Value.PhoneCodeRequestsPerHourPerNumber,
    },
    TimeSpan.FromHours(1))
{
    /// <summary>Takes one request from the IP, the number from this IP, and the number; returns the wait when any is exhausted.</summary>
    public TimeSpan? TryAcquire(string ip, string phone) => TryAcquireAll($"ip:{ip}", $"phone-ip:{phone}@{ip}", $"phone:{phone}");
}
