namespace DriverOffers.Server.Realtime;

/// <summary>
/// Counts the offer changes this server announces (edits, sends, bookings, cancels, answers) and, when servers share a
/// Redis, those the others announce. An answer a connection derived from an offer's state, such as "this chat is open"
/// for typing, holds until the count moves, so the hub's busiest path doesn't read the database on every call. A notice
/// lost while Redis is away is not repeated; users of the signal still bound how long they trust an answer.
/// </summary>
public sealed class OfferChangeSignal
{
    private long _count;
    private readonly RedisNotices? _peers;
    private readonly string _self = Guid.NewGuid().ToString("N");

    /// <summary>One server: only its own changes count.</summary>
    public OfferChangeSignal()
    {
    }

    /// <summary>Several servers: each change is also published, and the others' are heard.</summary>
    public OfferChangeSignal(ScaleOutRedis redis, ILogger<OfferChangeSignal> log)
    {
        _peers = new RedisNotices(redis, "offer-changed", log);
        _peers.Listen(from =>
        {
            if (from != _self)
            {
                Interlocked.Increment(ref _count);
            }
        });
    }

    public long Count => Interlocked.Read(ref _count);

    public void Changed()
    {
        Interlocked.Increment(ref _count);
        _peers?.Publish(_self, "other servers trust their answers for at most 30 s");
    }
}
