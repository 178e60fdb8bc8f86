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

    /// <summary>Which slice of the conversation: ids after / before, at most <c>Limit</c> (default 50).</summary>
    public sealed record Page(long? AfterId, long? BeforeId, int? Limit);

    public sealed record Found(List<MessageResponse> Messages) : Outcome;

    private const string AfterIdRule = "after_id must be a whole number: 0 or a message id.";
    private const string BeforeIdRule = "before_id must be a whole number: a message id (1 or more).";
    private static readonly string LimitRule = Validation.LimitRule(MaxLimit, DefaultLimit);

    public static async Task<Results<Ok<List<MessageResponse>>, ValidationProblem, NotFound>> Handle(
        int id, int driverId, ClaimsPrincipal principal, AppDb db, CancellationToken ct,
        [FromQuery(Name = "after_id")] string? afterId = null, [FromQuery(Name = "before_id")] string? beforeId = null,
        [FromQuery] string? limit = null)
    {
        var v = new Validation();
        var page = new Page(
            v.WholeNumber(afterId, "after_id", 0, long.MaxValue, AfterIdRule),
            v.WholeNumber(beforeId, "before_id", 1, long.MaxValue, BeforeIdRule),
            (int?)v.WholeNumber(limit, "limit", 1, MaxLimit, LimitRule));
        if (!v.IsValid)
        {
            return Problems.Invalid(v);
        }
        return await Execute(db, Caller.Require(principal), id, driverId, page, ct) switch
        {
            Found found => TypedResults.Ok(found.Messages),
            Outcome.Invalid invalid => Problems.Invalid(invalid),
            _ => TypedResults.NotFound(),
        };
    }

    /// <summary>Shared by REST and the hub's <c>get_messages_after</c> (catch-up after a reconnect).</summary>
    public static async Task<Outcome> Execute(AppDb db, Caller caller, int offerId, int driverId, Page page, CancellationToken ct)
    {
        var v = new Validation();
        v.Check(page.AfterId is null or >= 0, "after_id", AfterIdRule);
        v.Check(page.BeforeId is null or >= 1, "before_id", BeforeIdRule);
        v.Check(page.Limit is null or >= 1 and <= MaxLimit, "limit", LimitRule);
        if (!v.IsValid)
        {
            return new Outcome.Invalid(v);
        }
        if (!await OfferAccess.CanUseConversation(db, caller, offerId, driverId, ct))
        {
            return new Outcome.NotFound();
        }
        var take = page.Limit ?? DefaultLimit;
        var query = db.ChatMessages.AsNoTracking().Where(m => m.OfferId == offerId && m.DriverId == driverId);
        if (page.AfterId is { } after)
        {
            query = query.Where(m => m.Id > after);
        }
        if (page.BeforeId is { } before)
        {
            query = query.Where(m => m.Id < before);
        }
        var rows = page.AfterId is not null
            ? await query.OrderBy(m => m.Id).Take(take).ToListAsync(ct)
            : (await query.OrderByDescending(m => m.Id).Take(take).ToListAsync(ct)).OrderBy(m => m.Id).ToList();
        return new Found(rows.Select(MessageResponse.From).ToList());
    }
}
