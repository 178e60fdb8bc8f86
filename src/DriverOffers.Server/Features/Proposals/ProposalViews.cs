using DriverOffers.Server.Data;
using DriverOffers.Server.Features.Chat;
using Microsoft.EntityFrameworkCore;

namespace DriverOffers.Server.Features.Proposals;

/// <summary>
/// Builds <see cref="ProposalResponse"/> per audience for REST and real-time broadcasts. Dispatchers get the truck
/// (<c>driver</c>) and the driver's unread messages; the driver gets their own unread dispatcher messages and no
/// truck block. Both see <c>offer_status</c> and <c>is_booked</c>, so a taken load shows at once.
/// </summary>
public static class ProposalViews
{
    public static async Task<ProposalResponse?> ForDispatcher(AppDb db, int proposalId, CancellationToken ct = default) =>
        (await ForDispatcher(db, db.Proposals.Where(p => p.Id == proposalId), ct)).FirstOrDefault();

    public static async Task<ProposalResponse?> ForDriver(AppDb db, int proposalId, CancellationToken ct = default)
    {
        var row = await (from p in db.Proposals.AsNoTracking()
                         join o in db.Offers.AsNoTracking() on p.OfferId equals o.Id
                         where p.Id == proposalId
                         select new { p, o.Status, o.BookedDriverId }).FirstOrDefaultAsync(ct);
        if (row is null)
        {
            return null;
        }
        var unread = await db.ChatMessages.CountAsync(m => m.OfferId == row.p.OfferId && m.DriverId == row.p.DriverId
            && m.SenderType == SenderType.Dispatcher && !m.IsRead, ct);
        return ProposalResponse.From(row.p, row.Status, row.BookedDriverId, unread);
    }

    /// <summary>
    /// The dispatchers' and the driver's view of each proposal (ordered by id) with a fixed number of queries: what the
    /// live events of a send to hundreds of drivers need (four queries per proposal would dominate it).
    /// </summary>
    public static async Task<List<(ProposalResponse ForDispatcher, ProposalResponse ForDriver)>> ForBothSides(AppDb db,
        IReadOnlyCollection<int> proposalIds, CancellationToken ct = default)
    {
        // Only the truck columns a proposal shows: the whole legacy row (coordinates, dates, rate text) cost more to
        // read than the rest of the view, and a send to 1,000 drivers reads 1,000 of them.
        var rows = await (from p in db.Proposals.AsNoTracking()
                          join o in db.Offers.AsNoTracking() on p.OfferId equals o.Id
                          join t in db.Trucks.AsNoTracking() on p.DriverId equals t.Id into trucks
                          from t in trucks.DefaultIfEmpty()
                          where proposalIds.Contains(p.Id)
                          orderby p.Id
                          select new { p, o.Status, o.BookedDriverId, Driver = t == null ? null : new ProposalDriver(t.Id, t.TruckNumber, t.DriverName, t.CellPhone, t.CityStateZip, t.Status) }).ToListAsync(ct);
        var offerIds = rows.Select(r => r.p.OfferId).Distinct().ToList();
        var unread = (await db.ChatMessages.AsNoTracking()
            .Where(m => offerIds.Contains(m.OfferId) && !m.IsRead && (m.SenderType == SenderType.Driver || m.SenderType == SenderType.Dispatcher))
            .GroupBy(m => new { m.OfferId, m.DriverId, m.SenderType }).Select(g => new { g.Key.OfferId, g.Key.DriverId, g.Key.SenderType, Count = g.Count() })
            .ToListAsync(ct)).ToDictionary(u => (u.OfferId, u.DriverId, u.SenderType), u => u.Count);
        return rows.Select(r =>
        {
            // Each side counts what the other side sent and it has not read.
            var fromDriver = unread.GetValueOrDefault((r.p.OfferId, r.p.DriverId, SenderType.Driver));
            var fromDispatcher = unread.GetValueOrDefault((r.p.OfferId, r.p.DriverId, SenderType.Dispatcher));
            return (ProposalResponse.From(r.p, r.Status, r.BookedDriverId, fromDriver, r.Driver),
                ProposalResponse.From(r.p, r.Status, r.BookedDriverId, fromDispatcher));
        }).ToList();
    }

    /// <summary>Dispatcher views of every proposal in <paramref name="query"/>, ordered by id.</summary>
    public static async Task<List<ProposalResponse>> ForDispatcher(AppDb db, IQueryable<Proposal> query, CancellationToken ct = default)
    {
        var rows = await (from p in query.AsNoTracking()
                          join o in db.Offers.AsNoTracking() on p.OfferId equals o.Id
                          join t in db.Trucks.AsNoTracking() on p.DriverId equals t.Id into trucks
                          from t in trucks.DefaultIfEmpty()
                          orderby p.Id
                          select new { p, o.Status, o.BookedDriverId, Driver = t == null ? null : new ProposalDriver(t.Id, t.TruckNumber, t.DriverName, t.CellPhone, t.CityStateZip, t.Status) }).ToListAsync(ct);
        var offerIds = rows.Select(r => r.p.OfferId).Distinct().ToList();
        var unread = await db.ChatMessages.AsNoTracking()
            .Where(m => offerIds.Contains(m.OfferId) && m.SenderType == SenderType.Driver && !m.IsRead)
            .GroupBy(m => new { m.OfferId, m.DriverId }).Select(g => new { g.Key.OfferId, g.Key.DriverId, Count = g.Count() })
            .ToListAsync(ct);
        return rows.Select(r =>
        {
            var count = unread.FirstOrDefault(u => u.OfferId == r.p.OfferId && u.DriverId == r.p.DriverId)?.Count ?? 0;
            return ProposalResponse.From(r.p, r.Status, r.BookedDriverId, count, r.Driver);
        }).ToList();
    }
}
