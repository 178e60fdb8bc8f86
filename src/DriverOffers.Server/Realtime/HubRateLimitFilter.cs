using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace DriverOffers.Server.Realtime;

/// <summary>
/// Per-connection token bucket over every hub call (sustained <c>Realtime:CallsPerSecond</c>, bursts of
/// <c>Realtime:CallBurst</c>). A refused call does nothing and tells only its sender when to retry.
/// </summary>
public sealed class HubRateLimitFilter(TimeProvider clock, IOptions<RealtimeOptions> options) : IHubFilter
{
    /// <summary>Each open connection's bucket, by connection id, dropped when it closes. Not in the connection's
    /// <c>Items</c>: SignalR creates those (a concurrent dictionary, ~0.45 KB) on first use, and nothing else of ours
    /// needs them (docs/decisions/089-connection-memory-sixth-pass.md).</summary>
    private readonly ConcurrentDictionary<string, TokenBucket> _buckets = new(StringComparer.Ordinal);

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        var o = options.Value;
        var caller = invocationContext.Context;
        var bucket = _buckets.GetOrAdd(caller.ConnectionId, static (_, s) => new TokenBucket(s.o.CallBurst, s.o.CallsPerSecond, s.clock), (o, clock));
        // A call can still be running when its connection closes, after OnDisconnectedAsync dropped the bucket, and the
        // GetOrAdd above would bring it back for good. SignalR aborts a connection before it runs OnDisconnectedAsync, so
        // checking after the add is enough: either the abort is seen here, or the disconnect comes later and drops it.
        if (caller.ConnectionAborted.IsCancellationRequested)
        {
            _buckets.TryRemove(caller.ConnectionId, out _);
        }
        if (!bucket.TryTake(out var retryAfter))
        {
            throw new HubException(
                $"Too many calls: at most {o.CallsPerSecond} per second (bursts of {o.CallBurst}) per connection. " +
                $"Nothing was done; retry in {Math.Ceiling(retryAfter.TotalMilliseconds)} ms.");
        }
        return await next(invocationContext);
    }

    /// <summary>Whether <paramref name="connectionId"/> has a bucket (for tests).</summary>
    internal bool HasBucket(string connectionId) => _buckets.ContainsKey(connectionId);

    public async Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        try
        {
            await next(context, exception);
        }
        finally
        {
            _buckets.TryRemove(context.Context.ConnectionId, out _);
        }
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
            Refill();
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

    /// <summary>Gives one taken token back (what it paid for turned out to cost nothing), never above capacity.</summary>
    public void Return()
    {
        lock (_lock)
        {
            Refill();
            _tokens = Math.Min(capacity, _tokens + 1);
        }
    }

    /// <summary>Whether the bucket has refilled completely (its owner has been idle long enough to forget).</summary>
    public bool IsFull
    {
        get
        {
            lock (_lock)
            {
                Refill();
                return _tokens >= capacity;
            }
        }
    }

    private void Refill()
    {
        var now = clock.GetTimestamp();
        _tokens = Math.Min(capacity, _tokens + clock.GetElapsedTime(_last, now).TotalSeconds * perSecond);
        _last = now;
    }
}
