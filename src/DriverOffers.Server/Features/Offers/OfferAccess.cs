using DriverOffers.Server.Common;
using DriverOffers.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace DriverOffers.Server.Features.Offers;

/// <summary>
/// Who may see what, checked against the data. Every REST handler and hub method asks here; a "no" is the same
/// answer whether or not the offer exists, so callers return the same 404 for both.
/// </summary>
public static class OfferAccess
{
    /// <summary>Offers the caller may see: their own (dispatcher), all (manager/admin), or those sent to them (driver).</summary>
    public static IQueryable<Offer> VisibleTo(this IQueryable<Offer> offers, AppDb db, Caller caller)
    {
        if (caller.IsSupervisor)
        {
            return offers;
        }
        if (caller.IsDriver)
        {
            return offers.Where(o => db.Proposals.Any(p => p.OfferId == o.Id && p.DriverId == caller.Id));
        }
        return offers.Where(o => o.CreatedBy == caller.Id);
    }

    /// <summary>The offer if the caller may manage it (edit, send, cancel, book): its dispatcher, or a manager/admin.</summary>
    public static Task<Offer?> FindManageable(AppDb db, Caller caller, int offerId, CancellationToken ct) =>
        caller.IsDriver
            ? Task.FromResult<Offer?>(null)
            : db.Offers.VisibleTo(db, caller).FirstOrDefaultAsync(o => o.Id == offerId, ct);

    /// <summary>
    /// Whether the caller may manage the offer, asked without reading it into the context: the check a use case makes
    /// before it takes the offer's lock, so a caller who will be refused never queues behind the offer's writers (nor, on
    /// SQLite, takes the database's one write lock). The answer can't turn to "no" later: offers are never deleted and
    /// an offer's creator never changes.
    /// </summary>
    public static async Task<bool> CanManage(AppDb db, Caller caller, int offerId, CancellationToken ct) =>
        !caller.IsDriver && await db.Offers.VisibleTo(db, caller).AnyAsync(o => o.Id == offerId, ct);

    /// <summary>
    /// Whether the caller may read and write the conversation (offer, driver): the driver themself, or a dispatcher
    /// who can see the offer, and only when that driver was actually invited.
    /// </summary>
    public static async Task<bool> CanUseConversation(AppDb db, Caller caller, int offerId, int driverId, CancellationToken ct)
    {
        if (caller.IsDriver && caller.Id != driverId)
        {
            return false;
        }
        // A "yes" never turns into a "no": proposals and offers are never deleted and an offer's creator never
        // changes, so granted access is remembered (the chat hot path then reads nothing). A "no" is always re-checked.
        // Keyed by database too: one process may host several servers (the integration tests do).
        var key = (db.DatabaseKey, caller.Role, caller.Id, offerId, driverId);
        if (Granted.ContainsKey(key))
        {
            return true;
        }
        var invited = db.Proposals.Where(p => p.OfferId == offerId && p.DriverId == driverId);
        var allowed = caller.IsDriver
            ? await invited.AnyAsync(ct)
            : await invited.AnyAsync(p => db.Offers.VisibleTo(db, caller).Any(o => o.Id == p.OfferId), ct);
        if (allowed)
        {
            if (Granted.Count >= MaxRemembered)
            {
                Granted.Clear();
            }
            Granted.TryAdd(key, 0);
        }
        return allowed;
    }

    private const int MaxRemembered = 200_000;
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string Database, string Role, int Id, int OfferId, int DriverId), byte> Granted = new();
}
