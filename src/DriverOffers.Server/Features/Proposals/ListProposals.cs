using System.Security.Claims;
using DriverOffers.Server.Common;
using DriverOffers.Server.Data;
using DriverOffers.Server.Features.Offers;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace DriverOffers.Server.Features.Proposals;

/// <summary>
/// GET /api/offers/{id}/proposals: every invited driver with their proposal (dispatchers who can see the offer);
/// a driver gets a one-item list with only their own proposal, never other drivers'.
/// </summary>
public static class ListProposals
{
    public static async Task<Results<Ok<List<ProposalResponse>>, NotFound>> Handle(int id, ClaimsPrincipal principal, AppDb db, CancellationToken ct)
    {
        var caller = Caller.Require(principal);
        if (caller.IsDriver)
        {
            var mine = await db.Proposals.Where(p => p.OfferId == id && p.DriverId == caller.Id).Select(p => p.Id).FirstOrDefaultAsync(ct);
            return mine == 0 ? TypedResults.NotFound() : TypedResults.Ok(new List<ProposalResponse> { (await ProposalViews.ForDriver(db, mine, ct))! });
        }
        if (!await db.Offers.VisibleTo(db, caller).AnyAsync(o => o.Id == id, ct))
        {
            return TypedResults.NotFound();
        }
        return TypedResults.Ok(await ProposalViews.ForDispatcher(db, db.Proposals.Where(p => p.OfferId == id), ct));
    }
}
