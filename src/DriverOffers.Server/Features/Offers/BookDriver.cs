using System.Security.Claims;
using DriverOffers.Server.Common;
using DriverOffers.Server.Data;
using DriverOffers.Server.Features.Chat;
using DriverOffers.Server.Features.Proposals;
using DriverOffers.Server.Realtime;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace DriverOffers.Server.Features.Offers;

/// <summary>
/// POST /api/offers/{id}/book {driver_id, rate?}: books a driver who accepted (at the agreed rate) or countered (at the
/// counter rate). <c>rate</c>, if given, is the rate the dispatcher agrees to: if the driver's answer changed to another
/// rate meanwhile, nothing is booked (409 with the current offer). The offer's version column makes this safe under any
/// race: of simultaneous book/accept/cancel requests exactly one commits; the others re-read, find the offer closed and
/// get 409 with its current state.
/// </summary>
public static class BookDriver
{
    public sealed record Request(int? DriverId, decimal? Rate = null);

    public sealed record Booked(OfferResponse Offer) : Outcome;

    public static async Task<Results<Ok<OfferResponse>, ValidationProblem, NotFound, ProblemHttpResult>> Handle(
        int id, Request request, ClaimsPrincipal principal, AppDb db, ILiveEvents live, TimeProvider clock, CancellationToken ct)
    {
        if (request.DriverId is not { } driverId)
        {
            return Problems.Invalid("driver_id", "driver_id is required: the truck ID of an invited driver.");
        }
        return await Execute(db, live, clock, Caller.Require(principal), id, driverId, request.Rate, ct) switch
        {
            Booked b => TypedResults.Ok(b.Offer),
            Outcome.Invalid i => Problems.Invalid(i),
            Outcome.Conflict c => Problems.Conflict(c.Detail, c.Current),
            _ => TypedResults.NotFound(),
        };
    }

    public static async Task<Outcome> Execute(AppDb db, ILiveEvents live, TimeProvider clock, Caller caller, int offerId, int driverId,
        decimal? expectedRate, CancellationToken ct)
    {
        // rate, if given, is the rate the dispatcher saw and books at.
        var v = new Validation();
        v.Money(expectedRate, "rate", Proposal.MaxRate);
        if (!v.IsValid)
        {
            return new Outcome.Invalid(v);
        }
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
            var proposal = await db.Proposals.FirstOrDefaultAsync(p => p.OfferId == offerId && p.DriverId == driverId, ct);
            if (proposal is null)
            {
                return new Outcome.Invalid("driver_id", $"Truck {driverId} was not sent this offer.");
            }
            var log = new ChatLog(db, caller, now);
            try
            {
                offer.Book(proposal, now, expectedRate);
            }
            catch (RuleViolationException e)
            {
                await tx.Abandon(ct);
                return new Outcome.Conflict(e.Message, await OfferViews.DispatcherView(db, offerId, now, ct));
            }
            var others = await RecordBooking(db, log, offer, ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            await AnnounceBooking(live, offer, others, log, ct);
            return new Booked((await OfferViews.DispatcherView(db, offerId, now, ct))!);
        }, ct);
    }

    /// <summary>After <c>Offer.Book</c>: writes "booked" to the booked driver's conversation and "load taken" to every
    /// other one. Returns every proposal of the offer, so all invited drivers can be told. Used by auto-booking too.</summary>
    public static async Task<List<Proposal>> RecordBooking(AppDb db, ChatLog log, Offer offer, CancellationToken ct)
    {
        var proposals = await db.Proposals.Where(p => p.OfferId == offer.Id).ToListAsync(ct);
        var name = await db.Trucks.Where(t => t.Id == offer.BookedDriverId).Select(t => t.DriverName).FirstOrDefaultAsync(ct);
        foreach (var p in proposals)
        {
            if (p.DriverId == offer.BookedDriverId)
            {
                log.System(offer.Id, p.DriverId, $"Load booked with {name ?? $"truck {p.DriverId}"} at {ChatLog.Money(offer.BookedRate ?? 0)}.", offer.BookedRate);
            }
            else
            {
                log.System(offer.Id, p.DriverId, "This load was booked by another driver.");
            }
        }
        return proposals;
    }

    public static Task AnnounceBooking(ILiveEvents live, Offer offer, IEnumerable<Proposal> proposals, ChatLog log, CancellationToken ct) =>
        SendToDrivers.Announce(live, offer.Id, created: false, proposals, log, ct);
}
