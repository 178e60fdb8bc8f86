using DriverOffers.Server.Features.Chat;

namespace DriverOffers.Server.Realtime;

/// <summary>
/// What use cases call after a change is committed, so REST and hub callers both notify the same people.
/// Always called after SaveChanges: the database is the guarantee, the socket is only fast.
/// </summary>
public interface ILiveEvents
{
    /// <summary>An offer was created, edited, cancelled, booked or sent to more drivers.</summary>
    Task OfferChanged(int offerId, bool created, CancellationToken ct = default);

    /// <summary>
    /// An offer changed together with some of its proposals and conversations (created with drivers, sent to more,
    /// booked, cancelled, responded to): the offer goes out first, so drivers just invited hear of it soonest, then
    /// every listed proposal (<c>proposal_updated</c>, as <see cref="ProposalChanged"/> would, except to a driver who got
    /// <c>offer_created</c> in this announcement: it carries the driver's proposal) and the messages in order.
    /// </summary>
    Task OfferAndProposalsChanged(int offerId, bool created, IReadOnlyCollection<int> proposalIds, IReadOnlyList<MessageResponse> messages,
        CancellationToken ct = default);

    /// <summary>
    /// An offer was sent to more drivers: as <see cref="OfferAndProposalsChanged"/>, except that the drivers invited
    /// before get nothing (their view of the offer did not change) and a driver told of the offer now gets no separate
    /// <c>proposal_updated</c> (the offer carries the driver's proposal).
    /// </summary>
    Task DriversInvited(int offerId, IReadOnlyCollection<int> proposalIds, IReadOnlyList<MessageResponse> messages, CancellationToken ct = default);

    /// <summary>A proposal changed state (viewed, accepted, rejected, countered, counter back).</summary>
    Task ProposalChanged(int proposalId, CancellationToken ct = default);

    /// <summary>A message was stored (text, rate proposal or system).</summary>
    Task MessageStored(MessageResponse message, CancellationToken ct = default);

    /// <summary>
    /// Chat messages the batched writer just committed, sent before this returns instead of through a lane: the
    /// writer is one ordered stream already, and the lane's thread hop was a large part of a message's round trip.
    /// <paramref name="db"/> is only called when an offer's audience is not known.
    /// </summary>
    Task MessagesStoredNow(IReadOnlyList<MessageResponse> messages, Func<Data.AppDb> db, CancellationToken ct = default);

    /// <summary>The reader's side read everything up to <paramref name="read"/>.UpToId.</summary>
    Task MessagesRead(MessageReadEvent read, CancellationToken ct = default);
}
