using System.Security.Claims;
using DriverOffers.Server.Common;
using DriverOffers.Server.Data;
using DriverOffers.Server.Features.Chat;
using DriverOffers.Server.Features.Geo;
using DriverOffers.Server.Realtime;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace DriverOffers.Server.Features.Offers;

/// <summary>
/// PUT /api/offers/{id}: replaces the load fields of an active offer (send every field; omitted optional fields
/// are cleared). Every invited driver's conversation gets a system message saying what changed.
/// </summary>
public static class UpdateOffer
{
    public sealed record Request(
        string? PickupLocation, double? PickupLat, double? PickupLon,
        string? DeliveryLocation, double? DeliveryLat, double? DeliveryLon,
        DateTimeOffset? PickupWindowStart, DateTimeOffset? PickupWindowEnd,
        DateTimeOffset? DeliveryWindowStart, DateTimeOffset? DeliveryWindowEnd,
        decimal? WeightLbs, string? Dimensions, decimal? DistanceMiles, decimal? ProposedRate, string? Notes,
        bool? AutoBook, DateTimeOffset? ExpiresAt) : IOfferFields;

    public sealed record Updated(OfferResponse Offer) : Outcome;

    public static async Task<Results<Ok<OfferResponse>, ValidationProblem, NotFound, ProblemHttpResult>> Handle(
        int id, Request request, ClaimsPrincipal principal, AppDb db, ILiveEvents live, TimeProvider clock, Gazetteer places, ExpireOffers expiry, CancellationToken ct) =>
        await Execute(db, live, clock, places, expiry, Caller.Require(principal), id, request, ct) switch
        {
            Updated u => TypedResults.Ok(u.Offer),
            Outcome.Invalid i => Problems.Invalid(i),
            Outcome.Conflict c => Problems.Conflict(c.Detail, c.Current),
            _ => TypedResults.NotFound(),
        };

    public static async Task<Outcome> Execute(AppDb db, ILiveEvents live, TimeProvider clock, Gazetteer places, ExpireOffers expiry, Caller caller, int offerId, Request request, CancellationToken ct)
    {
        if (!await OfferAccess.CanManage(db, caller, offerId, ct))
        {
            return new Outcome.NotFound();
        }
        return await Outcome.RetryOnConcurrency(db, async () =>
        {
            var now = clock.GetUtcNow().UtcDateTime;
            // Locked before it is read, as every writer of an offer does (AppDb.LockOffer): an edit racing a booking waits.
            await using var tx = await db.LockOffer(offerId, ct);
            // The same filter again only to read the offer under the lock: the access granted above can't be withdrawn.
            var offer = (await OfferAccess.FindManageable(db, caller, offerId, ct))!;
            var v = new Validation();
            var details = OfferFields.Validate(request, v, now, places, offer.ExpiresAt);
            if (details is null)
            {
                return new Outcome.Invalid(v);
            }
            var oldRate = offer.ProposedRate;
            var wasExpired = offer.IsExpired(now);
            var before = Snapshot(offer);
            try
            {
                offer.Edit(details, request.AutoBook ?? false, request.ExpiresAt?.UtcDateTime, now);
            }
            catch (RuleViolationException e)
            {
                await tx.Abandon(ct);
                return new Outcome.Conflict(e.Message, await OfferViews.DispatcherView(db, offerId, now, ct));
            }
            if (before.Equals(Snapshot(offer)))
            {
                // Nothing changed: no version bump, no audit noise.
                await tx.Abandon(ct);
                return new Updated((await OfferViews.DispatcherView(db, offerId, now, ct))!);
            }
            var log = new ChatLog(db, caller, now);
            var rateChanged = oldRate != offer.ProposedRate;
            // A driver told the offer had expired needs to hear it is open again, not that some detail changed.
            var text = (wasExpired && !offer.IsExpired(now), rateChanged) switch
            {
                (true, true) => $"{caller.Name} reopened the offer at {ChatLog.Money(offer.ProposedRate)} (was {ChatLog.Money(oldRate)}).",
                (true, false) => $"{caller.Name} reopened the offer.",
                (false, true) => $"{caller.Name} changed the rate from {ChatLog.Money(oldRate)} to {ChatLog.Money(offer.ProposedRate)}.",
                (false, false) => $"{caller.Name} updated the load details.",
            };
            foreach (var driverId in await db.Proposals.Where(p => p.OfferId == offerId).Select(p => p.DriverId).ToListAsync(ct))
            {
                log.System(offerId, driverId, text, rateChanged ? offer.ProposedRate : null);
            }
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            // A new expiry also re-arms its announcement (Offer.Edit): the announcer may be asleep past it.
            expiry.Arm(offer.ExpiresAt);
            await live.OfferChanged(offerId, created: false, ct);
            await log.Announce(live, ct);
            return new Updated((await OfferViews.DispatcherView(db, offerId, now, ct))!);
        }, ct);
    }

    /// <summary>The edited fields, compared by value: a stored 1500.0 and a sent 1500 are the same rate (their JSON, once
    /// compared here, is not, and every unchanged save from the web app wrote "updated the load details" to each driver).</summary>
    private static object Snapshot(Offer o) => new
    {
        o.PickupLocation, o.PickupLat, o.PickupLon, o.DeliveryLocation, o.DeliveryLat, o.DeliveryLon,
        o.PickupWindowStart, o.PickupWindowEnd, o.DeliveryWindowStart, o.DeliveryWindowEnd,
        o.WeightLbs, o.Dimensions, o.DistanceMiles, o.ProposedRate, o.Notes, o.AutoBook, o.ExpiresAt,
    };
}
