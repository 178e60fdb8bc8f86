namespace DriverOffers.Server.Realtime;

/// <summary>
/// Counts the offer changes this server announces (edits, sends, bookings, cancels, answers). An answer a connection
/// derived from an offer's state, such as "this chat is open" for typing, holds until the count moves, so the hub's
/// busiest path doesn't read the database on every call. Changes made on another server don't move it; users of the
/// signal bound how long they trust an answer.
/// </summary>
public sealed class OfferChangeSignal
{
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public void Changed() => Interlocked.Increment(ref _count);
}
