using DriverOffers.Server.Common;
using Microsoft.Extensions.Options;

namespace DriverOffers.Server.Features.Auth;

/// <summary>
/// Limits on failed sign-ins per minute, per client IP and per username (or phone number), so guessing is slow from
/// one place or against one account. Only failures count: a script or an office signing in many times with the right
/// password, or exchanging many good offer links, is never refused (docs/decisions/104-limits-count-what-goes-wrong.md).
/// </summary>
public sealed class LoginThrottle(IOptions<AuthOptions> options) : KeyedWindowLimiter(
    key => key.StartsWith("ip:", StringComparison.Ordinal)
        ? options.Value.LoginAttemptsPerMinutePerIp
        : options.Value.LoginAttemptsPerMinutePerUser,
    TimeSpan.FromMinutes(1))
{
    /// <summary>The wait when any key (<c>ip:…</c>, <c>user:…</c>, <c>phone:…</c>) has used up its failures this minute.</summary>
    public TimeSpan? Refuses(params string[] keys) => Exhausted(keys);

    /// <summary>Counts one failed attempt against each key.</summary>
    public void Failed(params string[] keys) => Count(keys);
}
