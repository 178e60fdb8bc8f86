using System.Security.Claims;
using DriverOffers.Server.Common;
using DriverOffers.Server.Data;
using DriverOffers.Server.Features.Chat;
using DriverOffers.Server.Realtime;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace DriverOffers.Server.Features.Offers;

/// <summary>
/// DELETE /api/offers/{id} (and the hub's offer_status_change to cancelled): cancels an active offer. The row
/// stays (it is the audit trail); every invited driver's conversation gets a system message.
/// A cancel racing a booking: both take the offer's row lock first (AppDb.LockOffer); exactly one wins, the other gets
/// 409 with the current offer.
/// </summary>
public static class CancelOffer
{
    public sealed record Cancelled(OfferResponse Offer) : Outcome;

    public static async Task<Results<Ok<OfferResponse>, NotFound, ProblemHttpResult>> Handle(
        int id, ClaimsPrincipal principal, AppDb db, ILiveEvents live, TimeProvider clock, CancellationToken ct) =>
        await Execute(db, live, clock, Caller.Require(principal), id, ct) switch
        {
            Cancelled c => TypedResults.Ok(c.Offer),
            Outcome.Conflict c => Problems.Conflict(c.Detail, c.Current),
            _ => TypedResults.NotFound(),
        };

    public static async Task<Outcome> Execute(AppDb db, ILiveEvents live, TimeProvider clock, Caller caller, int offerId, CancellationToken ct)
    {
        if (!await OfferAccess.CanManage(db, caller, offerId, ct))
        {
            return new Outcome.NotFound();
        }
        return await Outcome.RetryOnConcurrency(db, async () =>
        {
            var now = clock.GetUtcNow().UtcDateTime;
            await using var tx = await db.LockOffer(offerId, ct);
            // The same filter again only to read the offer under the lock: the access granted above can't be withdrawn.
            var offer = (await OfferAccess.FindManageable(db, caller, offerId, ct))!;
            try
            {
                offer.Cancel(now);
            }
            catch (RuleViolationException e)
            {
                await tx.Abandon(ct);
                return new Outcome.Conflict(e.Message, await OfferViews.DispatcherView(db, offerId, now, ct));
            }
            var log = new ChatLog(db, caller, now);
            var proposals = await db.Proposals.AsNoTracking().Where(p => p.OfferId == offerId).ToListAsync(ct);
            foreach (var p in proposals)
            {
                log.System(offerId, p.DriverId, $"{caller.Name} cancelled this offer.");
            }
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            await SendToDrivers.Announce(live, offerId, created: false, proposals, log, ct);
            return new Cancelled((await OfferViews.DispatcherView(db, offerId, now, ct))!);
        }, ct);
    }
}
