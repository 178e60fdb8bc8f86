using System.Security.Claims;
using DriverOffers.Server.Common;
using DriverOffers.Server.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace DriverOffers.Server.Features.Offers;

/// <summary>
/// GET /api/offers?status=&amp;q=&amp;limit=&amp;before_id=&amp;offset=&amp;page=: newest first. A dispatcher sees their own
/// offers, managers and admins all, a driver those sent to them (with <c>my_proposal</c> and the dispatcher's contact).
/// <c>status</c> is active|completed|cancelled|expired (expired = active but past expires_at).
/// Older pages: <c>before_id</c> (the last id seen; stable while new offers arrive), or <c>offset</c> / <c>page</c>
/// (pages of <c>limit</c>), which clients written for page numbers send; ignored, they answered the first page again
/// (decision 118).
/// </summary>
public static class ListOffers
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 500;
    public const int MaxQuery = 200;
    public const int MaxOffset = 1_000_000;
    private static readonly string[] Statuses = [OfferStatus.Active, OfferStatus.Completed, OfferStatus.Cancelled, "expired"];

    public static async Task<Results<Ok<List<OfferResponse>>, ValidationProblem>> Handle(
        ClaimsPrincipal principal, AppDb db, TimeProvider clock, CancellationToken ct,
        [FromQuery] string? status = null, [FromQuery] string? q = null, [FromQuery] string? limit = null,
        [FromQuery(Name = "before_id")] string? beforeId = null, [FromQuery] string? offset = null, [FromQuery] string? page = null)
    {
        var caller = Caller.Require(principal);
        var now = clock.GetUtcNow().UtcDateTime;
        var v = new Validation();
        v.Check(status is null || Statuses.Contains(status), "status", $"status must be one of {string.Join(", ", Statuses)}.");
        var search = v.Text(q, "q", 1, MaxQuery, required: false);
        var take = v.Limit(limit, MaxLimit, DefaultLimit);
        var before = (int?)v.WholeNumber(beforeId, "before_id", 1, int.MaxValue, "before_id must be a whole number: an offer id (1 or more); the list gives the offers older than it.");
        var skip = v.WholeNumber(offset, "offset", 0, MaxOffset, $"offset must be a whole number from 0 to {MaxOffset}: how many offers to skip.");
        var pageNumber = v.WholeNumber(page, "page", 1, MaxOffset, $"page must be a whole number from 1 to {MaxOffset}: pages of limit offers, 1 is the newest.");
        v.Check(skip is null || pageNumber is null, "page", "Give page or offset, not both.");
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
        if (before is not null)
        {
            query = query.Where(o => o.Id < before);
        }
        var skipped = (int)(skip ?? ((pageNumber ?? 1) - 1) * take);
        query = query.OrderByDescending(o => o.Id).Skip(skipped).Take(take);
        var items = caller.IsDriver
            ? await OfferViews.DriverViews(db, query, caller.Id, now, ct)
            : await OfferViews.DispatcherViews(db, query, now, ct);
        return TypedResults.Ok(items.OrderByDescending(o => o.Id).ToList());
    }
}
