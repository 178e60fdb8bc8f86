using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace DriverOffers.Server.Features.Auth;

/// <summary>
/// Hourly limits on phone sign-in code requests, per phone number and per client IP: each request may cost an SMS,
/// and without a per-number limit anyone could flood a driver's phone. Unknown numbers count the same as known ones,
/// so the 429 itself says nothing about whether a number belongs to a truck.
/// </summary>
public sealed class PhoneCodeThrottle(IOptions<AuthOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(key =>
        RateLimitPartition.GetFixedWindowLimiter(key, k => new FixedWindowRateLimiterOptions
        {
            PermitLimit = k.StartsWith("ip:", StringComparison.Ordinal)
                ? options.Value.PhoneCodeRequestsPerHourPerIp
                : options.Value.PhoneCodeRequestsPerHourPerNumber,
            Window = TimeSpan.FromHours(1),
            QueueLimit = 0,
        }));

    /// <summary>Takes one request from the IP and the number; returns the wait when either is exhausted.</summary>
    public TimeSpan? TryAcquire(string ip, string phone)
    {
        foreach (var key in new[] { $"ip:{ip}", $"phone:{phone}" })
        {
            using var lease = _limiter.AttemptAcquire(key);
            if (!lease.IsAcquired)
            {
                return lease.TryGetMetadata(MetadataName.RetryAfter, out var retry) ? retry : TimeSpan.FromHours(1);
            }
        }
        return null;
    }

    public void Dispose() => _limiter.Dispose();
}
