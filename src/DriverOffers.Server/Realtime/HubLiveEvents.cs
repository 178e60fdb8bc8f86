using System.Collections.Concurrent;
using System.Threading.Channels;
using DriverOffers.Server.Data;
using DriverOffers.Server.Features.Chat;
using DriverOffers.Server.Features.Offers;
using DriverOffers.Server.Features.Proposals;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;

namespace DriverOffers.Server.Realtime;

/// <summary>
/// Pushes committed changes to exactly the people concerned (see <see cref="OfferAudience"/>): the offer's dispatcher
/// side gets the dispatcher view, each invited driver their own driver view, and nobody else anything.
/// Callers only enqueue, so a REST request or hub call never waits for the broadcast. Work is split into lanes (by
/// offer id; proposal events by proposal id): one offer's events go out in order, different offers in parallel.
/// Views are read when the event is sent, so the last event of a burst always carries the state the database ended in.
/// </summary>
public sealed partial class HubLiveEvents : ILiveEvents, IDisposable
{
    private const int LaneCount = 4;
    /// <summary>After a restart, drivers invited this recently are treated as not yet told about the offer.</summary>
    private static readonly TimeSpan RecentInvite = TimeSpan.FromSeconds(10);

    private readonly IServiceScopeFactory _scopes;
    /// <summary>Names this server's database in the shared audience cache.</summary>
    private readonly string _database;
    private readonly IHubContext<OffersHub, IOffersClient> _hub;
    private readonly TimeProvider _clock;
    private readonly ILogger<HubLiveEvents> _log;
    private readonly Channel<Func<Func<AppDb>, CancellationToken, Task>>[] _lanes;
    private readonly CancellationTokenSource _stopping = new();
    /// <summary>Drivers already sent an offer (offer_created once, then offer_updated), per active offer.</summary>
    private readonly ConcurrentDictionary<int, HashSet<int>> _told = new();
    /// <summary>The newest OfferChanged ticket per offer (see <see cref="OfferChanged"/>).</summary>
    private readonly ConcurrentDictionary<int, int> _latest = new();
    /// <summary>Per offer, who is owed its view by changes still in the lanes; the push that goes out takes it all, so
    /// skipping an earlier push leaves no one out, and a change an earlier push already read is not told twice (see <see cref="Owe"/>).</summary>
    private readonly Dictionary<int, Owed> _owed = [];
    private readonly Lock _owedLock = new();
    /// <summary>The version at which an offer's close (booking, cancel) was pushed to every invited driver.</summary>
    private readonly ConcurrentDictionary<int, int> _closeTold = new();

    /// <summary>Every invited driver (a change to the offer itself), and/or the drivers whose own answer changed it, each
    /// with the offer version their answer committed (null: an answer that left the offer's version as it was, a view).</summary>
    private sealed record Owed(bool All, Dictionary<int, int?> Drivers);

    public HubLiveEvents(IServiceScopeFactory scopes, IHubContext<OffersHub, IOffersClient> hub, TimeProvider clock, ILogger<HubLiveEvents> log,
        DatabaseOptions database, OfferChangeSignal changes)
    {
        _changes = changes;
        _database = $"{database.Provider}:{database.ConnectionString}";
        _scopes = scopes;
        _hub = hub;
        _clock = clock;
        _log = log;
        _lanes = new Channel<Func<Func<AppDb>, CancellationToken, Task>>[LaneCount];
        for (var i = 0; i < LaneCount; i++)
        {
            var lane = Channel.CreateUnbounded<Func<Func<AppDb>, CancellationToken, Task>>(new() { SingleReader = true });
            _lanes[i] = lane;
            _ = Task.Run(() => Drain(lane.Reader));
        }
    }

    /// <summary>
    /// A burst of changes to one offer (every driver's response announces it) is sent once: an update still waiting
    /// in the lane is skipped when a later one for the same offer is queued, since the later one reads newer state.
    /// </summary>
    public Task OfferChanged(int offerId, bool created, CancellationToken ct = default)
    {
        _changes.Changed();
        Owe(offerId, driver: null);
        var ticket = _latest.AddOrUpdate(offerId, 1, (_, n) => n + 1);
        return Enqueue(offerId, (db, token) =>
            created || _latest.TryGetValue(offerId, out var latest) && latest == ticket
                ? PushOffer(db(), offerId, created, ticket, token)
                : Task.CompletedTask);
    }

    /// <summary>
    /// One lane item for the offer and the messages (they keep their order among the offer's events); the proposals
    /// are queued in their own lanes once the offer went out, so the pushes of hundreds of proposals don't compete
    /// with the offer reaching its drivers.
    /// </summary>
    public Task OfferAndProposalsChanged(int offerId, bool created, IReadOnlyCollection<int> proposalIds, IReadOnlyList<MessageResponse> messages,
        CancellationToken ct = default) =>
        Announce(offerId, created, driver: null, proposalIds, messages);

    /// <summary>As <see cref="OfferAndProposalsChanged"/>, but of the drivers only <paramref name="driverId"/> is owed the offer.</summary>
    public Task ProposalAnswered(int offerId, int driverId, int? version, IReadOnlyCollection<int> proposalIds, IReadOnlyList<MessageResponse> messages,
        CancellationToken ct = default) =>
        Announce(offerId, created: false, (driverId, version), proposalIds, messages);

    private readonly OfferChangeSignal _changes;

    private Task Announce(int offerId, bool created, (int Id, int? Version)? driver, IReadOnlyCollection<int> proposalIds,
        IReadOnlyList<MessageResponse> messages)
    {
        _changes.Changed();
        Owe(offerId, driver);
        var ticket = _latest.AddOrUpdate(offerId, 1, (_, n) => n + 1);
        return Enqueue(offerId, (db, token) => PushOfferThenRest(
            () => created || _latest.TryGetValue(offerId, out var latest) && latest == ticket
                ? PushOffer(db(), offerId, created, ticket, token)
                : Task.FromResult<IReadOnlySet<int>>(new HashSet<int>()),
            db, proposalIds, messages, token));
    }

    /// <summary>
    /// Records who is owed the offer's next push: <paramref name="driver"/>, or every invited driver when null. Called
    /// after the commit and before the ticket is taken, so the push that takes it reads state at least that new: either
    /// one already running takes it (and reads after it), or this change's own push does.
    /// </summary>
    private void Owe(int offerId, (int Id, int? Version)? driver)
    {
        lock (_owedLock)
        {
            var owed = _owed.GetValueOrDefault(offerId) ?? new Owed(false, []);
            if (driver is { } d)
            {
                // Of two answers by one driver the one that must still be told wins: a view (null), else the newer.
                var earlier = owed.Drivers.TryGetValue(d.Id, out var owedBefore) ? owedBefore : 0;
                owed.Drivers[d.Id] = d.Version is null || earlier is null ? null : Math.Max(earlier.Value, d.Version.Value);
            }
            _owed[offerId] = owed with { All = owed.All || driver is null };
        }
    }

    /// <summary>What the push now going out owes (see <see cref="Owe"/>); null when an earlier push took it all.</summary>
    private Owed? TakeOwed(int offerId)
    {
        lock (_owedLock)
        {
            return _owed.Remove(offerId, out var owed) ? owed : null;
        }
    }

    /// <summary>The offer push, then the proposals (in their lanes, even if the offer push failed), then the messages.</summary>
    private async Task PushOfferThenRest(Func<Task<IReadOnlySet<int>>> pushOffer, Func<AppDb> db,
        IReadOnlyCollection<int> proposalIds, IReadOnlyList<MessageResponse> messages, CancellationToken ct)
    {
        IReadOnlySet<int> toldNow = new HashSet<int>();
        try
        {
            toldNow = await pushOffer();
        }
        finally
        {
            ProposalsChanged(proposalIds, toldNow);
        }
        await PushMessages(db, messages, ct);
    }

    /// <summary>In the proposal's own lane: its events stay in order, and each carries the proposal as last read.</summary>
    public Task ProposalChanged(int proposalId, CancellationToken ct = default)
    {
        ProposalsChanged([proposalId], new HashSet<int>());
        return Task.CompletedTask;
    }

    /// <summary>One lane item per lane for the proposals that belong to it, each building its views in bulk. Drivers in
    /// <paramref name="toldNow"/> just got the offer with their proposal in it, so only the dispatcher side hears of those.</summary>
    private void ProposalsChanged(IEnumerable<int> proposalIds, IReadOnlySet<int> toldNow)
    {
        foreach (var lane in proposalIds.GroupBy(LaneOf))
        {
            var ids = lane.ToList();
            _lanes[lane.Key].Writer.TryWrite((db, token) => PushProposals(db(), ids, toldNow, token));
        }
    }

    public Task MessageStored(MessageResponse message, CancellationToken ct = default) =>
        Enqueue(message.OfferId, (db, token) => PushMessages(db, [message], token));

    private async Task PushMessages(Func<AppDb> db, IReadOnlyList<MessageResponse> messages, CancellationToken ct)
    {
        foreach (var message in messages)
        {
            if (await OfferAudience.Load(db, _database, message.OfferId, ct) is { } offer)
            {
                await _hub.Clients.Groups(offer.Conversation(message.DriverId)).new_message(message);
            }
        }
    }

    public Task MessagesStoredNow(IReadOnlyList<MessageResponse> messages, Func<AppDb> db, CancellationToken ct = default) =>
        PushMessages(db, messages, ct);

    /// <summary>To the other side (their messages were read), and to the reader's own other tabs so badges clear there too.</summary>
    public Task MessagesRead(MessageReadEvent read, CancellationToken ct = default) =>
        Enqueue(read.OfferId, async (db, token) =>
        {
            if (await OfferAudience.Load(db, _database, read.OfferId, token) is { } offer)
            {
                await _hub.Clients.Groups(offer.Conversation(read.DriverId)).message_read(read);
            }
        });

    /// <summary>The dispatcher side's view, then each driver's own: <c>offer_created</c> to the drivers not told of the
    /// offer yet (returned), then <c>offer_updated</c> to the others who are owed it (<see cref="Owe"/>).</summary>
    private async Task<IReadOnlySet<int>> PushOffer(AppDb db, int offerId, bool created, int ticket, CancellationToken ct)
    {
        var toldNow = new HashSet<int>();
        // Nothing owed: a push that started after this change committed took it, and told it.
        if (TakeOwed(offerId) is not { } owed)
        {
            return toldNow;
        }
        var now = _clock.GetUtcNow().UtcDateTime;
        // One read of the offer for every audience: the dispatcher side and the drivers get the same version, and a
        // change committed meanwhile is told by its own push (else a driver could get a close twice).
        if (await OfferAudience.Load(db, offerId, ct) is not { } offer ||
            await db.Offers.AsNoTracking().FirstOrDefaultAsync(o => o.Id == offerId, ct) is not { } row)
        {
            return toldNow;
        }
        var view = (await OfferViews.DispatcherViews(db, [row], now, ct))[0];
        if (view.Status != OfferStatus.Active)
        {
            // The close is news for every invited driver, whichever push reads it first; told once, later pushes of the
            // closed offer go only to the drivers whose own answer changed it since (a view after the booking). An answer
            // that committed an older version was read by the push that told the close (its enqueue just came late).
            if (_closeTold.TryGetValue(offerId, out var version) && version == view.Version)
            {
                owed = new Owed(false, owed.Drivers.Where(d => d.Value is null || d.Value >= version).ToDictionary());
                if (owed.Drivers.Count == 0)
                {
                    return toldNow;
                }
            }
            else if (owed.All || owed.Drivers.Values.Any(v => v is not null))
            {
                // A change of the offer, or an answer committed before the close (only views come after it): this push
                // is the first to tell the close. Views alone don't know that (another server, or this one before a
                // restart, may have told it), so they tell only themselves.
                owed = owed with { All = true };
                if (_closeTold.Count >= 100_000)
                {
                    // At worst a close is told twice; the events carry the same version.
                    _closeTold.Clear();
                }
                _closeTold[offerId] = view.Version;
            }
        }
        var dispatchers = _hub.Clients.Groups(offer.DispatcherSide);
        await (created ? dispatchers.offer_created(view) : dispatchers.offer_updated(view));

        var invited = await db.Proposals.AsNoTracking().Where(p => p.OfferId == offerId)
            .Select(p => new { p.DriverId, p.CreatedAt }).ToListAsync(ct);
        var told = await Told(db, offerId, created, now, ct);
        var views = await OfferViews.DriverViewsOfOffer(db, row, now, ct);
        // Drivers who have not heard of the offer first: after a send to more drivers they are the ones waiting,
        // while the others only get an update. Invitations need an open offer, so once it is closed there is no one new:
        // its told set is dropped then, and rebuilt it would leave out the drivers invited in the last seconds, who would
        // get a second offer_created and lose the proposal_updated that follows (ProposalsChanged skips them).
        var fresh = view.Status == OfferStatus.Active
            ? invited.Where(p => !told.Contains(p.DriverId)).Select(p => p.DriverId).ToList()
            : [];
        foreach (var driverId in fresh)
        {
            if (views.TryGetValue(driverId, out var mine))
            {
                await _hub.Clients.Group(HubGroups.Driver(driverId)).offer_created(mine);
                told.Add(driverId);
                toldNow.Add(driverId);
            }
        }
        foreach (var driverId in invited.Select(p => p.DriverId).Except(fresh).Where(d => owed.All || owed.Drivers.ContainsKey(d)))
        {
            if (views.TryGetValue(driverId, out var mine))
            {
                await _hub.Clients.Group(HubGroups.Driver(driverId)).offer_updated(mine);
            }
        }
        if (view.Status != OfferStatus.Active)
        {
            _told.TryRemove(offerId, out _);
            // Only if no newer change was queued meanwhile.
            _latest.TryRemove(new KeyValuePair<int, int>(offerId, ticket));
        }
        return toldNow;
    }

    /// <summary>The drivers told of the offer so far; after a restart, those invited more than a moment ago.</summary>
    private async Task<HashSet<int>> Told(AppDb db, int offerId, bool created, DateTime now, CancellationToken ct)
    {
        if (_told.TryGetValue(offerId, out var told))
        {
            return told;
        }
        var before = now - RecentInvite;
        told = created ? [] : [.. await db.Proposals.AsNoTracking().Where(p => p.OfferId == offerId && p.CreatedAt < before).Select(p => p.DriverId).ToListAsync(ct)];
        return _told.GetOrAdd(offerId, told);
    }

    private async Task PushProposals(AppDb db, List<int> proposalIds, IReadOnlySet<int> toldNow, CancellationToken ct)
    {
        var audiences = new Dictionary<int, OfferAudience?>();
        foreach (var (forDispatchers, forDriver) in await ProposalViews.ForBothSides(db, proposalIds, ct))
        {
            if (!audiences.TryGetValue(forDispatchers.OfferId, out var offer))
            {
                audiences[forDispatchers.OfferId] = offer = await OfferAudience.Load(db, forDispatchers.OfferId, ct);
            }
            if (offer is null)
            {
                continue;
            }
            await _hub.Clients.Groups(offer.DispatcherSide).proposal_updated(forDispatchers);
            if (!toldNow.Contains(forDriver.DriverId))
            {
                await _hub.Clients.Group(HubGroups.Driver(forDriver.DriverId)).proposal_updated(forDriver);
            }
        }
    }
}
