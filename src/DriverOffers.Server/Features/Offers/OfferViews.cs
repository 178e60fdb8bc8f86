using DriverOffers.Server.Common;
using DriverOffers.Server.Data;
using DriverOffers.Server.Features.Chat;
using DriverOffers.Server.Features.Proposals;
using Microsoft.EntityFrameworkCore;

namespace DriverOffers.Server.Features.Offers;

/// <summary>
/// Builds <see cref="OfferResponse"/> per audience. REST handlers and the real-time broadcaster both use these,
/// so a dispatcher and a driver always get the same shape whichever way it reaches them.
/// Unread counts are for the audience's side: a dispatcher counts unread driver messages in every conversation
/// of the offer, a driver counts unread dispatcher messages in their own conversation.
/// </summary>
public static class OfferViews
{
    /// <summary>The offer as <paramref name="caller"/> may see it, or null when they may not (or it does not exist).</summary>
    public static async Task<OfferResponse?> ForCaller(AppDb db, Caller caller, int offerId, DateTime now, CancellationToken ct)
    {
        if (caller.IsDriver)
        {
            return await DriverView(db, offerId, caller.Id, now, ct);
        }
        var visible = await db.Offers.VisibleTo(db, caller).AnyAsync(o => o.Id == offerId, ct);
        return visible ? await DispatcherView(db, offerId, now, ct) : null;
    }

    /// <summary>The dispatchers' view (creator, managers, admins): counters, unread driver messages.</summary>
    public static async Task<OfferResponse?> DispatcherView(AppDb db, int offerId, DateTime now, CancellationToken ct) =>
        (await DispatcherViews(db, db.Offers.Where(o => o.Id == offerId), now, ct)).FirstOrDefault();

    /// <summary>One invited driver's view; null when that driver was not sent the offer.</summary>
    public static async Task<OfferResponse?> DriverView(AppDb db, int offerId, int driverId, DateTime now, CancellationToken ct) =>
        (await DriverViews(db, db.Offers.Where(o => o.Id == offerId), driverId, now, ct)).FirstOrDefault();

    /// <summary>Dispatcher views of many offers with a fixed number of queries (for lists).</summary>
    public static async Task<List<OfferResponse>> DispatcherViews(AppDb db, IQueryable<Offer> query, DateTime now, CancellationToken ct) =>
        await DispatcherViews(db, await query.AsNoTracking().ToListAsync(ct), now, ct);

    /// <summary>Dispatcher views of offers already read.</summary>
    public static async Task<List<OfferResponse>> DispatcherViews(AppDb db, List<Offer> offers, DateTime now, CancellationToken ct)
    {
        var ids = offers.Select(o => o.Id).ToList();
        var counts = await db.Proposals.AsNoTracking().Where(p => ids.Contains(p.OfferId))
            .GroupBy(p => new { p.OfferId, p.Status })
            .Select(g => new { g.Key.OfferId, g.Key.Status, Count = g.Count() })
            .ToListAsync(ct);
        var unread = await db.ChatMessages.AsNoTracking()
            .Where(m => ids.Contains(m.OfferId) && m.SenderType == SenderType.Driver && !m.IsRead)
            .GroupBy(m => m.OfferId).Select(g => new { OfferId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.OfferId, x => x.Count, ct);
        var contacts = await Contacts(db, offers, ct);
        return offers.Select(o =>
        {
            int Count(string status) => counts.Where(c => c.OfferId == o.Id && c.Status == status).Sum(c => c.Count);
            var counters = new ProposalCounters(counts.Where(c => c.OfferId == o.Id).Sum(c => c.Count),
                Count(ProposalStatus.Sent), Count(ProposalStatus.Viewed), Count(ProposalStatus.Accepted),
                Count(ProposalStatus.Rejected), Count(ProposalStatus.CounterOffered));
            return OfferResponse.ForDispatcher(o, counters, unread.GetValueOrDefault(o.Id), contacts.GetValueOrDefault(o.CreatedBy), now);
        }).ToList();
    }

    /// <summary>Driver views of the offers in <paramref name="query"/> that were sent to <paramref name="driverId"/>.</summary>
    public static async Task<List<OfferResponse>> DriverViews(AppDb db, IQueryable<Offer> query, int driverId, DateTime now, CancellationToken ct)
    {
        var offers = await query.Where(o => db.Proposals.Any(p => p.OfferId == o.Id && p.DriverId == driverId))
            .AsNoTracking().ToListAsync(ct);
        var ids = offers.Select(o => o.Id).ToList();
        var proposals = await db.Proposals.AsNoTracking().Where(p => p.DriverId == driverId && ids.Contains(p.OfferId))
            .ToDictionaryAsync(p => p.OfferId, ct);
        var unread = await db.ChatMessages.AsNoTracking()
            .Where(m => ids.Contains(m.OfferId) && m.DriverId == driverId && m.SenderType == SenderType.Dispatcher && !m.IsRead)
            .GroupBy(m => m.OfferId).Select(g => new { OfferId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.OfferId, x => x.Count, ct);
        var contacts = await Contacts(db, offers, ct);
        return offers.Select(o =>
        {
            var count = unread.GetValueOrDefault(o.Id);
            var mine = ProposalResponse.From(proposals[o.Id], o.Status, o.BookedDriverId, count);
            return OfferResponse.ForDriver(o, driverId, mine, count, contacts.GetValueOrDefault(o.CreatedBy), now);
        }).ToList();
    }

    /// <summary>
    /// Every invited driver's view of one offer with a fixed number of queries, keyed by driver: what a fan-out to
    /// hundreds of drivers needs (one query per driver would dominate it).
    /// </summary>
    public static async Task<Dictionary<int, OfferResponse>> DriverViewsOfOffer(AppDb db, int offerId, DateTime now, CancellationToken ct) =>
        await db.Offers.AsNoTracking().FirstOrDefaultAsync(o => o.Id == offerId, ct) is { } offer
            ? await DriverViewsOfOffer(db, offer, now, ct)
            : [];

    /// <summary>As above, for an offer already read.</summary>
    public static async Task<Dictionary<int, OfferResponse>> DriverViewsOfOffer(AppDb db, Offer offer, DateTime now, CancellationToken ct)
    {
        var offerId = offer.Id;
        var proposals = await db.Proposals.AsNoTracking().Where(p => p.OfferId == offerId).ToListAsync(ct);
        var unread = await db.ChatMessages.AsNoTracking()
            .Where(m => m.OfferId == offerId && m.SenderType == SenderType.Dispatcher && !m.IsRead)
            .GroupBy(m => m.DriverId).Select(g => new { DriverId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.DriverId, x => x.Count, ct);
        var contact = (await Contacts(db, [offer], ct)).GetValueOrDefault(offer.CreatedBy);
        return proposals.ToDictionary(p => p.DriverId, p =>
        {
            var count = unread.GetValueOrDefault(p.DriverId);
            var mine = ProposalResponse.From(p, offer.Status, offer.BookedDriverId, count);
            return OfferResponse.ForDriver(offer, p.DriverId, mine, count, contact, now);
        });
    }

    /// <summary>
    /// Each newly invited driver's view of <paramref name="offer"/> as just committed, without reading it back: a new
    /// proposal is "sent" and its conversation holds only the system message, so nothing is unread.
    /// </summary>
    public static async Task<Dictionary<int, OfferResponse>> DriverViewsOfInvited(AppDb db, Offer offer, IEnumerable<Proposal> invited,
        DateTime now, CancellationToken ct)
    {
        var contact = (await Contacts(db, [offer], ct)).GetValueOrDefault(offer.CreatedBy);
        return invited.ToDictionary(p => p.DriverId,
            p => OfferResponse.ForDriver(offer, p.DriverId, ProposalResponse.From(p, offer.Status, offer.BookedDriverId), 0, contact, now));
    }

    private static async Task<Dictionary<int, DispatcherContact>> Contacts(AppDb db, List<Offer> offers, CancellationToken ct)
    {
        var creators = offers.Select(o => o.CreatedBy).Distinct().ToList();
        return await db.Users.AsNoTracking().Where(u => creators.Contains(u.Id))
            .ToDictionaryAsync(u => u.Id, u => new DispatcherContact(u.Id, u.FullName, u.MobileNumber, u.Email), ct);
    }
}
