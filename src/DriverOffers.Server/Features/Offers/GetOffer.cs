using System.Security.Claims;
using DriverOffers.Server.Common;
using DriverOffers.Server.Data;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DriverOffers.Server.Features.Offers;

/// <summary>GET /api/offers/{id} (and the hub's get_offer_details): the offer as the caller may see it.</summary>
public static class GetOffer
{
    public sealed record Found(OfferResponse Offer) : Outcome;

    public static async Task<Results<Ok<OfferResponse>, NotFound>> Handle(int id, ClaimsPrincipal principal, AppDb db, TimeProvider clock, CancellationToken ct) =>
        await Execute(db, clock, Caller.Require(principal), id, ct) is Found f ? TypedResults.Ok(f.Offer) : TypedResults.NotFound();

    public static async Task<Outcome> Execute(AppDb db, TimeProvider clock, Caller caller, int offerId, CancellationToken ct) =>
        await OfferViews.ForCaller(db, caller, offerId, clock.GetUtcNow().UtcDateTime, ct) is { } offer
            ? new Found(offer)
            : new Outcome.NotFound();
}
