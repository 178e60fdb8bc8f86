using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace DriverOffers.Server.Features.Auth;

/// <summary>Fixed-window limits on sign-in attempts, per client IP and per username, so guessing is slow from one place or against one account.</summary>
public sealed class LoginThrottle(IOptions<AuthOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(key =>
        RateLimitPartition.GetFixedWindowLimiter(key, k => new FixedWindowRateLimiterOptions
        {
            PermitLimit = k.StartsWith("ip:", StringComparison.Ordinal)
                ? options.Value.LoginAttemptsPerMinutePerIp
                : options.Value.LoginAttemptsPerMinutePerUser,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        }));

    /// <summary>Takes one attempt from each key; returns the wait when any is exhausted.</summary>
    public TimeSpan? TryAcquire(params string[] keys)
    {
        foreach (var key in keys)
        {
            using var lease = _limiter.AttemptAcquire(key);
            if (!lease.IsAcquired)
            {
                return lease.TryGetMetadata(MetadataName.RetryAfter, out var retry) ? retry : TimeSpan.FromMinutes(1);
            }
        }
        return null;
    }

    public void Dispose() => _limiter.Dispose();
}
