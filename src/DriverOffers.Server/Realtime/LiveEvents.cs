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
    /// A driver answered their proposal (view, accept, reject, counter) or the dispatcher countered back, without
    /// booking: as <see cref="OfferAndProposalsChanged"/>, but of the drivers only <paramref name="driverId"/> gets the
    /// offer. Nothing another driver sees changed, and they must not learn when a rival answers. <paramref name="version"/>
    /// is the offer version the answer committed, null when it left the offer as it was (a view).
    /// </summary>
    Task ProposalAnswered(int offerId, int driverId, int? version, IReadOnlyCollection<int> proposalIds, IReadOnlyList<MessageResponse> messages,
        CancellationToken ct = default);

    /// <summary>
    /// An offer was sent to more drivers: each new driver gets <c>offer_created</c> with <paramref name="views"/>' view,
    /// then the dispatcher side <c>offer_updated</c> and <c>proposal_updated</c> per proposal (<paramref name="proposals"/>,
    /// the dispatchers' views), then the messages in order; the caller builds both kinds of view from what it just
    /// committed. The drivers invited before get nothing (their view did not change) and a new driver no separate
    /// <c>proposal_updated</c> (the offer carries the proposal).
    /// </summary>
    Task DriversInvited(int offerId, IReadOnlyDictionary<int, Features.Offers.OfferResponse> views,
        IReadOnlyList<Features.Proposals.ProposalResponse> proposals, IReadOnlyList<MessageResponse> messages, CancellationToken ct = default);

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
