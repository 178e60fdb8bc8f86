using System.Threading.RateLimiting;

namespace DriverOffers.Server.Common;

/// <summary>
/// Fixed-window limits per key ("ip:…", "user:…", "phone:…"). Either an attempt takes one permit from every key it names
/// and is refused with the wait as soon as one of them is exhausted (<see cref="TryAcquireAll"/>), or only what went
/// wrong is counted (<see cref="Exhausted"/> before, <see cref="Count"/> after).
/// </summary>
public abstract class KeyedWindowLimiter(Func<string, int> permitsFor, TimeSpan window) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(key =>
        RateLimitPartition.GetFixedWindowLimiter(key, k => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permitsFor(k),
            Window = window,
            QueueLimit = 0,
        }));

    /// <summary>Takes one attempt from each key; returns the wait when any is exhausted.</summary>
    protected TimeSpan? TryAcquireAll(params string[] keys)
    {
        foreach (var key in keys)
        {
            using var lease = _limiter.AttemptAcquire(key);
            if (!lease.IsAcquired)
            {
                return lease.TryGetMetadata(MetadataName.RetryAfter, out var retry) ? retry : window;
            }
        }
        return null;
    }

    /// <summary>The wait when any key has nothing left in its window, without taking anything; else null.</summary>
    protected TimeSpan? Exhausted(params string[] keys)
    {
        foreach (var key in keys)
        {
            // Zero permits asks whether the window has any left (a successful lease takes nothing).
            using var lease = _limiter.AttemptAcquire(key, 0);
            if (!lease.IsAcquired)
            {
                return lease.TryGetMetadata(MetadataName.RetryAfter, out var retry) ? retry : window;
            }
        }
        return null;
    }

    /// <summary>Takes one permit from each key, whether or not any is left.</summary>
    protected void Count(params string[] keys)
    {
        foreach (var key in keys)
        {
            using var lease = _limiter.AttemptAcquire(key);
        }
    }

    public void Dispose()
    {
        _limiter.Dispose();
        GC.SuppressFinalize(this);
    }
}
