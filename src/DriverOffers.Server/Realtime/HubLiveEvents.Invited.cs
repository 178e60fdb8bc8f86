using DriverOffers.Server.Data;
using DriverOffers.Server.Features.Chat;
using DriverOffers.Server.Features.Offers;
using DriverOffers.Server.Features.Proposals;
using Microsoft.EntityFrameworkCore;

namespace DriverOffers.Server.Realtime;

// A send to drivers: the drivers just invited are told first, with the views the send built.
public sealed partial class HubLiveEvents
{
    /// <summary>
    /// Only the drivers just invited are told, first and with the views the caller built (no read before the first
    /// send: they are the ones waiting), then the dispatcher side. For the drivers invited before nothing they can see
    /// changed. No ticket is taken, so an edit queued just before still goes to everyone.
    /// The proposals' events take their places in their lanes now, before any driver can answer (an answer's event
    /// queues behind them, so the dispatchers see the states in order), but wait there until the drivers' offers are
    /// written: they are the dispatchers', and the drivers are the ones waiting.
    /// </summary>
    public Task DriversInvited(int offerId, IReadOnlyDictionary<int, OfferResponse> views, IReadOnlyList<ProposalResponse> proposals,
        IReadOnlyList<MessageResponse> messages, CancellationToken ct = default)
    {
        // The offer's item first: a proposal's item waits for it, so it must not be queued behind one (it may share a
        // lane). Each item only ever waits for an item queued before it, so lanes can't wait for each other in a circle.
        var queued = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var told = new TaskCompletionSource<InvitedAudience>(TaskCreationOptions.RunContinuationsAsynchronously);
        Enqueue(offerId, async (db, token) =>
        {
            await queued.Task.WaitAsync(token);
            await PushInvitedThenRest(db, offerId, views, told, messages, token);
        });
        foreach (var lane in proposals.GroupBy(p => LaneOf(p.Id)))
        {
            var mine = lane.ToList();
            _lanes[lane.Key].Writer.TryWrite((db, token) => PushInvitedProposals(db, mine, told.Task, token));
        }
        // Only now may a driver hear of the offer (and answer it).
        queued.SetResult();
        return Task.CompletedTask;
    }

    /// <summary>Who was told of the offer by <see cref="PushInvitedThenRest"/>, and the offer's audience.</summary>
    /// <remarks><see cref="Stale"/>: the send's views were out of date by then (see <see cref="ReadAgainIfChanged"/>), and so
    /// are its proposal views.</remarks>
    private sealed record InvitedAudience(IReadOnlySet<int> ToldNow, OfferAudience? Offer, bool Stale);

    /// <summary>
    /// <c>offer_created</c> to each driver in <paramref name="views"/> not told yet, each followed at once by that
    /// driver's own messages of the send (its invitation's system message), then the dispatcher side's
    /// <c>offer_updated</c>, its proposals (waiting in their lanes for <paramref name="told"/>) and its copies of the
    /// messages. Written right behind the offer, a driver's message leaves in the same WebSocket frame and socket write
    /// (the transport sends whatever its connection has queued): one send and one wake-up of the driver per driver
    /// instead of two, and no second wave of 1,000 writes to the drivers while the last ones' offers are still being
    /// sent. Each side still gets the same events in the same order (docs/decisions/083-fan-out-push-phase.md).
    /// </summary>
    private async Task PushInvitedThenRest(Func<AppDb> db, int offerId, IReadOnlyDictionary<int, OfferResponse> views,
        TaskCompletionSource<InvitedAudience> told, IReadOnlyList<MessageResponse> messages, CancellationToken ct)
    {
        var toldNow = new HashSet<int>();
        OfferAudience? offer = null;
        var stale = false;
        try
        {
            var context = db();
            var now = _clock.GetUtcNow().UtcDateTime;
            if (await ReadAgainIfChanged(context, offerId, views, now, ct) is { } current)
            {
                (views, stale) = (current, true);
            }
            var toldBefore = views.Count > 0 ? await Told(context, offerId, created: false, now, ct) : [];
            var mine = messages.Where(m => m.OfferId == offerId).ToLookup(m => m.DriverId);
            foreach (var (driverId, view) in InvitedDriverViews.Of(views))
            {
                if (toldBefore.Add(driverId))
                {
                    var driver = _hub.Clients.Group(HubGroups.Driver(driverId));
                    await driver.offer_created(view);
                    toldNow.Add(driverId);
                    foreach (var message in mine[driverId])
                    {
                        await driver.new_message(message);
                    }
                }
            }
            offer = await OfferAudience.Load(db, _database, offerId, ct);
            if (offer is not null && await OfferViews.DispatcherView(context, offerId, now, ct) is { } forDispatchers)
            {
                await _hub.Clients.Groups(offer.DispatcherSide).offer_updated(forDispatchers);
            }
        }
        finally
        {
            // Even if the push failed: the proposals' lanes wait for it.
            told.TrySetResult(new InvitedAudience(toldNow, offer, stale));
        }
        foreach (var message in messages)
        {
            if (message.OfferId == offerId && toldNow.Contains(message.DriverId))
            {
                if (offer is not null)
                {
                    await _hub.Clients.Groups(offer.DispatcherSide).new_message(message);
                }
            }
            else
            {
                await PushMessages(db, [message], ct);
            }
        }
    }

    /// <summary>
    /// Null if the offer is still the version the send's views show. Otherwise a change committed right after the send
    /// (a cancel, an edit) may already have been pushed, before these drivers were told of the offer, and the views are
    /// read again: an offer closed meanwhile reaches no one new (as in <see cref="PushOffer"/>), an edited one reaches
    /// them as it is now. One small read, so the send's drivers are never left with an offer that is gone.
    /// </summary>
    private static async Task<IReadOnlyDictionary<int, OfferResponse>?> ReadAgainIfChanged(AppDb db, int offerId,
        IReadOnlyDictionary<int, OfferResponse> views, DateTime now, CancellationToken ct)
    {
        if (views.Values.FirstOrDefault() is not { } sample)
        {
            return null;
        }
        var current = await db.Offers.AsNoTracking().Where(o => o.Id == offerId).Select(o => new { o.Version, o.Status }).FirstOrDefaultAsync(ct);
        if (current is not null && current.Version == sample.Version)
        {
            return null;
        }
        if (current is null || current.Status != OfferStatus.Active)
        {
            return new Dictionary<int, OfferResponse>();
        }
        return (await OfferViews.DriverViewsOfOffer(db, offerId, now, ct)).Where(v => views.ContainsKey(v.Key)).ToDictionary();
    }

    /// <summary>
    /// The dispatchers' <c>proposal_updated</c> of proposals just sent, as the caller built them. A driver not told of
    /// the offer by this send (told before, e.g. across a restart) gets its own view as well, read as usual.
    /// </summary>
    private async Task PushInvitedProposals(Func<AppDb> db, List<ProposalResponse> proposals, Task<InvitedAudience> told, CancellationToken ct)
    {
        var (toldNow, offer, stale) = await told.WaitAsync(ct);
        if (offer is null)
        {
            return;
        }
        if (stale)
        {
            await PushProposals(db(), [.. proposals.Select(p => p.Id)], toldNow, ct);
            return;
        }
        foreach (var proposal in proposals)
        {
            await _hub.Clients.Groups(offer.DispatcherSide).proposal_updated(proposal);
        }
        var notTold = proposals.Where(p => !toldNow.Contains(p.DriverId)).Select(p => p.Id).ToList();
        if (notTold.Count > 0)
        {
            foreach (var (_, forDriver) in await ProposalViews.ForBothSides(db(), notTold, ct))
            {
                await _hub.Clients.Group(HubGroups.Driver(forDriver.DriverId)).proposal_updated(forDriver);
            }
        }
    }
}
