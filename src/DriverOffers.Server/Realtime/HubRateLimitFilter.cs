using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace DriverOffers.Server.Realtime;

/// <summary>
/// Per-connection token bucket over every hub call (sustained <c>Realtime:CallsPerSecond</c>, bursts of
/// <c>Realtime:CallBurst</c>). A refused call does nothing and tells only its sender when to retry.
/// </summary>
public sealed class HubRateLimitFilter(TimeProvider clock, IOptions<RealtimeOptions> options) : IHubFilter
{
    private static readonly object BucketKey = new();

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        var o = options.Value;
        var items = invocationContext.Context.Items;
        TokenBucket bucket;
        lock (items)
        {
            if (items.TryGetValue(BucketKey, out var existing) && existing is TokenBucket b)
            {
                bucket = b;
            }
            else
            {
                bucket = new TokenBucket(o.CallBurst, o.CallsPerSecond, clock);
                items[BucketKey] = bucket;
            }
        }
        if (!bucket.TryTake(out var retryAfter))
        {
            throw new HubException(
                $"Too many calls: at most {o.CallsPerSecond} per second (bursts of {o.CallBurst}) per connection. " +
                $"Nothing was done; retry in {Math.Ceiling(retryAfter.TotalMilliseconds)} ms.");
        }
        return await next(invocationContext);
    }
}

/// <summary>Starts full; refills continuously at <c>perSecond</c> up to <c>capacity</c>.</summary>
public sealed class TokenBucket(int capacity, double perSecond, TimeProvider clock)
{
    private readonly Lock _lock = new();
    private double _tokens = capacity;
    private long _last = clock.GetTimestamp();

    public bool TryTake(out TimeSpan retryAfter)
    {
        lock (_lock)
        {
            var now = clock.GetTimestamp();
            _tokens = Math.Min(capacity, _tokens + clock.GetElapsedTime(_last, now).TotalSeconds * perSecond);
            _last = now;
            if (_tokens >= 1)
            {
                _tokens -= 1;
                retryAfter = TimeSpan.Zero;
                return true;
            }
            retryAfter = TimeSpan.FromSeconds((1 - _tokens) / perSecond);
            return false;
        }
    }
}
