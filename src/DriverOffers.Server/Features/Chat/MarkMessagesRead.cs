using System.Security.Claims;
using DriverOffers.Server.Common;
using DriverOffers.Server.Data;
using DriverOffers.Server.Features.Offers;
using DriverOffers.Server.Realtime;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace DriverOffers.Server.Features.Chat;

/// <summary>
/// PUT /api/chat/{message_id}/read (and the hub's mark_message_read): the caller's side has read everything up to
/// that message in its conversation that the other side sent. Reading never moves back: marking an older message
/// leaves later reads as they are, and the answer reports the highest point read.
/// </summary>
public static class MarkMessagesRead
{
    /// <summary>The caller's read state in the conversation: <c>up_to_id</c> is the furthest point read,
    /// <c>marked</c> how many messages this call marked, <c>unread_count</c> what the caller still has unread.</summary>
    public sealed record Response(int OfferId, int DriverId, string ReaderType, int ReaderId, long UpToId, DateTime ReadAt, int Marked, int UnreadCount);

    public sealed record Read(Response State) : Outcome;

    public static async Task<Results<Ok<Response>, NotFound>> Handle(long messageId, ClaimsPrincipal principal, AppDb db, ILiveEvents live,
        TimeProvider clock, CancellationToken ct) =>
        await Execute(db, live, clock, Caller.Require(principal), messageId, ct) is Read r ? TypedResults.Ok(r.State) : TypedResults.NotFound();

    public static async Task<Outcome> Execute(AppDb db, ILiveEvents live, TimeProvider clock, Caller caller, long messageId, CancellationToken ct)
    {
        var target = await db.ChatMessages.AsNoTracking().Where(m => m.Id == messageId)
            .Select(m => new { m.OfferId, m.DriverId }).FirstOrDefaultAsync(ct);
        if (target is null || !await OfferAccess.CanUseConversation(db, caller, target.OfferId, target.DriverId, ct))
        {
            return new Outcome.NotFound();
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var fromOtherSide = db.ChatMessages.Where(m => m.OfferId == target.OfferId && m.DriverId == target.DriverId && m.SenderType != caller.UserType);
        // One conditional UPDATE: parallel marks can't undo each other and only unread rows change. Its range locks can
        // deadlock with a chat batch inserting into the conversation; run again, it marks what is still unread.
        var marked = await TransientConflicts.Retry(() => fromOtherSide.Where(m => m.Id <= messageId && !m.IsRead)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.IsRead, true).SetProperty(m => m.ReadAt, now), ct), ct);
        var furthest = await fromOtherSide.Where(m => m.IsRead && m.MessageType != MessageType.System)
            .MaxAsync(m => (long?)m.Id, ct) ?? 0;
        var unread = await fromOtherSide.CountAsync(m => !m.IsRead, ct);
        var state = new Response(target.OfferId, target.DriverId, caller.UserType, caller.Id, Math.Max(furthest, messageId), now, marked, unread);
        if (marked > 0)
        {
            await live.MessagesRead(new MessageReadEvent(state.OfferId, state.DriverId, state.ReaderType, state.ReaderId, state.UpToId, now), ct);
        }
        return new Read(state);
    }
}
