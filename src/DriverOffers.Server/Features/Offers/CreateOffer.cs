using System.Security.Claims;
using DriverOffers.Server.Common;
using DriverOffers.Server.Data;
using DriverOffers.Server.Features.Auth;
using DriverOffers.Server.Features.Chat;
using DriverOffers.Server.Features.Geo;
using DriverOffers.Server.Realtime;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DriverOffers.Server.Features.Offers;

/// <summary>
/// POST /api/offers: a dispatcher creates an offer; with <c>driver_ids</c> it is also sent to those drivers in the
/// same transaction (the web's create modal). 201 with the offer plus <c>drivers</c> (their links).
/// </summary>
public static class CreateOffer
{
    public sealed record Request(
        string? PickupLocation, double? PickupLat, double? PickupLon,
        string? DeliveryLocation, double? DeliveryLat, double? DeliveryLon,
        DateTimeOffset? PickupWindowStart, DateTimeOffset? PickupWindowEnd,
        DateTimeOffset? DeliveryWindowStart, DateTimeOffset? DeliveryWindowEnd,
        decimal? WeightLbs, string? Dimensions, decimal? DistanceMiles, decimal? ProposedRate, string? Notes,
        bool? AutoBook, DateTimeOffset? ExpiresAt, List<int>? DriverIds) : IOfferFields;

    /// <summary>The dispatcher's offer view plus the links of the drivers it was sent to.</summary>
    public sealed record Response : OfferResponse
    {
        public Response(OfferResponse offer, List<SendToDrivers.SentLink> drivers) : base(offer) => Drivers = drivers;

        public List<SendToDrivers.SentLink> Drivers { get; init; }
    }

    public static async Task<Results<Created<Response>, ValidationProblem, NotFound>> Handle(
        Request request, ClaimsPrincipal principal, AppDb db, ILiveEvents live, TimeProvider clock,
        IOptions<AuthOptions> auth, OfferLinks codes, Gazetteer places, ExpireOffers expiry, HttpContext http, CancellationToken ct)
    {
        var caller = Caller.Require(principal);
        if (!caller.IsDispatcher)
        {
            return TypedResults.NotFound();
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var v = new Validation();
        var details = OfferFields.Validate(request, v, now, places);
        var trucks = await SendToDrivers.ActiveTrucks(db, request.DriverIds, required: false, v, ct);
        if (details is null || !v.IsValid)
        {
            return Problems.Invalid(v);
        }

        var links = SendToDrivers.LinkSettings.From(auth.Value, http.Request, codes);
        // A try the database gave up on (deadlock, lock wait, busy) was rolled back whole, and such an error never comes
        // from a commit that went through, so the create runs again; each try builds its offer, messages and links anew
        // on an emptied context, so the rolled-back one's ids are not reused and only one offer is ever stored.
        var (offer, log, sent) = await TransientConflicts.Retry(async () =>
        {
            db.ChangeTracker.Clear();
            var log = new ChatLog(db, caller, now);
            var offer = Offer.Create(caller.Id, details, request.AutoBook ?? false, request.ExpiresAt?.UtcDateTime, now);
            // The offer needs its id before proposals can point at it; one transaction keeps it all-or-nothing.
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            db.Offers.Add(offer);
            await db.SaveChangesAsync(ct);
            var invited = SendToDrivers.Invite(offer, trucks, log, links, caller, now);
            await invited.Store(db, ct);
            await tx.CommitAsync(ct);
            return (offer, log, invited);
        }, ct);
        expiry.Arm(offer.ExpiresAt);
        await SendToDrivers.Announce(live, offer.Id, created: true, sent.Proposals, log, ct);
        var view = (await OfferViews.DispatcherView(db, offer.Id, now, ct))!;
        return TypedResults.Created($"/api/offers/{offer.Id}", new Response(view, sent.Links));
    }
}
