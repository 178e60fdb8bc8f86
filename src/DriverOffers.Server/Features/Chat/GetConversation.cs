using System.Security.Claims;
using DriverOffers.Server.Common;
using DriverOffers.Server.Data;
using DriverOffers.Server.Features.Offers;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace DriverOffers.Server.Features.Chat;

/// <summary>
/// GET /api/offers/{id}/chat/{driver_id}?after_id=&amp;before_id=&amp;limit=: one conversation, always in ascending id
/// order. after_id → the first <c>limit</c> messages after it (catching up after a reconnect); before_id → the
/// <c>limit</c> messages just before it (scrolling back); neither → the latest <c>limit</c>. Both → the first
/// <c>limit</c> between them.
/// </summary>
public static class GetConversation
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public static async Task<Results<Ok<List<MessageResponse>>, ValidationProblem, NotFound>> Handle(
        int id, int driverId, ClaimsPrincipal principal, AppDb db, CancellationToken ct,
        [FromQuery(Name = "after_id")] long? afterId = null, [FromQuery(Name = "before_id")] long? beforeId = null,
        [FromQuery] int? limit = null)
    {
        var v = new Validation();
        v.Check(afterId is null or >= 0, "after_id", "after_id must be 0 or a message id.");
        v.Check(beforeId is null or >= 1, "before_id", "before_id must be a message id.");
        v.Check(limit is null or >= 1 and <= MaxLimit, "limit", $"limit must be 1..{MaxLimit} (default {DefaultLimit}).");
        if (!v.IsValid)
        {
            return Problems.Invalid(v);
        }
        if (!await OfferAccess.CanUseConversation(db, Caller.Require(principal), id, driverId, ct))
        {
            return TypedResults.NotFound();
        }
        var take = limit ?? DefaultLimit;
        var query = db.ChatMessages.AsNoTracking().Where(m => m.OfferId == id && m.DriverId == driverId);
        if (afterId is { } after)
        {
            query = query.Where(m => m.Id > after);
        }
        if (beforeId is { } before)
        {
            query = query.Where(m => m.Id < before);
        }
        var page = afterId is not null
            ? await query.OrderBy(m => m.Id).Take(take).ToListAsync(ct)
            : (await query.OrderByDescending(m => m.Id).Take(take).ToListAsync(ct)).OrderBy(m => m.Id).ToList();
        return TypedResults.Ok(page.Select(MessageResponse.From).ToList());
    }
}
