using System.Security.Claims;
using DriverOffers.Server.Common;
using DriverOffers.Server.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace DriverOffers.Server.Features.Offers;

/// <summary>
/// GET /api/offers?status=&amp;q=&amp;limit=: newest first. A dispatcher sees their own offers, managers and admins
/// all, a driver those sent to them (with <c>my_proposal</c> and the dispatcher's contact).
/// <c>status</c> is active|completed|cancelled|expired (expired = active but past expires_at).
/// </summary>
public static class ListOffers
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 500;
    public const int MaxQuery = 200;
    private static readonly string[] Statuses = [OfferStatus.Active, OfferStatus.Completed, OfferStatus.Cancelled, "expired"];

    public static async Task<Results<Ok<List<OfferResponse>>, ValidationProblem>> Handle(
        ClaimsPrincipal principal, AppDb db, TimeProvider clock, CancellationToken ct,
        [FromQuery] string? status = null, [FromQuery] string? q = null, [FromQuery] string? limit = null)
    {
        var caller = Caller.Require(principal);
        var now = clock.GetUtcNow().UtcDateTime;
        var v = new Validation();
        v.Check(status is null || Statuses.Contains(status), "status", $"status must be one of {string.Join(", ", Statuses)}.");
        var search = v.Text(q, "q", 1, MaxQuery, required: false);
        var take = v.Limit(limit, MaxLimit, DefaultLimit);
        if (!v.IsValid)
        {
            return Problems.Invalid(v);
        }

        var query = db.Offers.VisibleTo(db, caller);
        query = status switch
        {
            null => query,
            "expired" => query.Where(o => o.Status == OfferStatus.Active && o.ExpiresAt != null && o.ExpiresAt <= now),
            OfferStatus.Active => query.Where(o => o.Status == OfferStatus.Active && (o.ExpiresAt == null || o.ExpiresAt > now)),
            _ => query.Where(o => o.Status == status),
        };
        if (!string.IsNullOrEmpty(search))
        {
            // Lower-cased on both sides so the search is case-insensitive on every provider. The escape character is
            // '!' because MySQL reads ESCAPE '\' as an unterminated string.
            var like = "%" + search.ToLowerInvariant().Replace("!", "!!").Replace("%", "!%").Replace("_", "!_") + "%";
            query = query.Where(o => EF.Functions.Like(o.PickupLocation.ToLower(), like, "!")
                || EF.Functions.Like(o.DeliveryLocation.ToLower(), like, "!")
                || (o.Notes != null && EF.Functions.Like(o.Notes.ToLower(), like, "!")));
        }
        query = query.OrderByDescending(o => o.Id).Take(take);
        var items = caller.IsDriver
            ? await OfferViews.DriverViews(db, query, caller.Id, now, ct)
            : await OfferViews.DispatcherViews(db, query, now, ct);
        return TypedResults.Ok(items.OrderByDescending(o => o.Id).ToList());
    }
}
