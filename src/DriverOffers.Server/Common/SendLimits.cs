using System.Collections.Concurrent;
using DriverOffers.Server.Realtime;
using Microsoft.Extensions.Options;

namespace DriverOffers.Server.Common;

/// <summary>Configuration section <c>Limits</c>: how fast one person may write to others.</summary>
public sealed class SendLimitOptions
{
    public const string Section = "Limits";

    /// <summary>Chat messages and proposal answers one person may send per second, sustained (REST and hub together,
    /// every connection and device of theirs).</summary>
    public double MessagesPerSecondPerUser { get; set; } = 50;

    /// <summary>How many of them may come at once before the sustained rate applies.</summary>
    public int MessageBurstPerUser { get; set; } = 500;
}

/// <summary>
/// One token bucket per person (user type and id) over everything that writes something another person reads: chat
/// messages and proposal answers, whether sent by REST or over any number of hub connections. The hub's per-connection
/// limit alone let one driver post thousands of messages a minute by opening more connections, and REST had no limit
/// at all (docs/decisions/099-security-pass.md). Per server: with several servers behind a balancer, each applies it.
/// </summary>
public sealed class SendLimits(TimeProvider clock, IOptions<SendLimitOptions> options)
{
    /// <summary>Buckets are dropped once full again (their owner is idle); swept when there are this many.</summary>
    private const int SweepAbove = 10_000;

    private readonly ConcurrentDictionary<(string UserType, int Id), TokenBucket> _buckets = new();

    /// <summary>Takes one send from <paramref name="caller"/>'s bucket: null when allowed, else how long to wait.</summary>
    public TimeSpan? TryTake(Caller caller)
    {
        var o = options.Value;
        if (_buckets.Count > SweepAbove)
        {
            Sweep();
        }
        var bucket = _buckets.GetOrAdd((caller.UserType, caller.Id),
            static (_, s) => new TokenBucket(s.o.MessageBurstPerUser, s.o.MessagesPerSecondPerUser, s.clock), (o, clock));
        return bucket.TryTake(out var retryAfter) ? null : retryAfter;
    }

    /// <summary>
    /// Gives back what <see cref="TryTake"/> took when the send stored nothing new: a resend of a stored
    /// client_message_id (what a client does after every reconnect) or a send into a closed chat.
    /// </summary>
    public void Return(Caller caller)
    {
        if (_buckets.TryGetValue((caller.UserType, caller.Id), out var bucket))
        {
            bucket.Return();
        }
    }

    /// <summary>The refusal in words, the same on REST and the hub.</summary>
    public string Refusal(TimeSpan retryAfter)
    {
        var o = options.Value;
        return $"Too many messages: at most {o.MessagesPerSecondPerUser} per second (bursts of {o.MessageBurstPerUser}) per person. " +
               $"Nothing was sent; retry in {Math.Max(1, Math.Ceiling(retryAfter.TotalMilliseconds))} ms.";
    }

    private void Sweep()
    {
        foreach (var (key, bucket) in _buckets)
        {
            if (bucket.IsFull)
            {
                _buckets.TryRemove(key, out _);
            }
        }
    }
}
