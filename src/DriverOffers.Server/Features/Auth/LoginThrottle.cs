using DriverOffers.Server.Common;
using Microsoft.Extensions.Options;

namespace DriverOffers.Server.Features.Auth;

/// <summary>Limits on sign-in attempts per minute, per client IP and per username, so guessing is slow from one place or against one account.</summary>
public sealed class LoginThrottle(IOptions<AuthOptions> options) : KeyedWindowLimiter(
    key => key.StartsWith("ip:", StringComparison.Ordinal)
        ? options.Value.LoginAttemptsPerMinutePerIp
        : options.Value.LoginAttemptsPerMinutePerUser,
    TimeSpan.FromMinutes(1))
{
    /// <summary>Takes one attempt from each key (<c>ip:…</c>, <c>user:…</c>); returns the wait when any is exhausted.</summary>
    public TimeSpan? TryAcquire(params string[] keys) => TryAcquireAll(keys);
}
