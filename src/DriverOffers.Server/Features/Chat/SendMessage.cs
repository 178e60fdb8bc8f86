using System.Security.Claims;
using DriverOffers.Server.Common;
using DriverOffers.Server.Data;
using DriverOffers.Server.Features.Offers;
using DriverOffers.Server.Realtime;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace DriverOffers.Server.Features.Chat;

/// <summary>
/// POST /api/offers/{id}/chat/{driver_id} {message, client_message_id} (and the hub's send_message).
/// Idempotent per sender and client_message_id: the first send stores and answers 201, any resend answers 200
/// with the stored message, even when resends race (the unique index decides, the losers re-read).
/// The chat closes when the offer is cancelled, and for every driver but the booked one when it is completed.
/// </summary>
public static class SendMessage
{
    public sealed record Request(string? Message, string? ClientMessageId);

    public sealed record Stored(MessageResponse Message, bool Created) : Outcome;

    public static async Task<Results<Created<MessageResponse>, Ok<MessageResponse>, ValidationProblem, NotFound, ProblemHttpResult>> Handle(
        int id, int driverId, Request request, ClaimsPrincipal principal, AppDb db, ILiveEvents live, TimeProvider clock, SendLimits limits,
        HttpContext http, CancellationToken ct) =>
        await Execute(db, live, clock, limits, Caller.Require(principal), id, driverId, request, ct) switch
        {
            Stored { Created: true } s => TypedResults.Created($"/api/offers/{id}/chat/{driverId}?after_id={s.Message.Id - 1}", s.Message),
            Stored s => TypedResults.Ok(s.Message),
            Outcome.Invalid i => Problems.Invalid(i),
            Outcome.Conflict c => Problems.Conflict(c.Detail, c.Current),
            Outcome.TooMany t => Problems.TooMany(http, t),
            _ => TypedResults.NotFound(),
        };

    public static async Task<Outcome> Execute(AppDb db, ILiveEvents live, TimeProvider clock, SendLimits limits, Caller caller, int offerId,
        int driverId, Request request, CancellationToken ct)
    {
        var v = new Validation();
        var text = v.Text(request.Message, "message", 1, ChatMessage.MaxLength);
        // Left out (a client written for the seed's Socket.io server sends none), the message gets an id of its own: it
        // is stored and answered as usual, but a resend is then a second message; only the client's own id makes a send
        // idempotent (docs/decisions/100-accepting-the-shapes-new-clients-guess.md).
        var clientId = request.ClientMessageId is null
            ? $"server-{Guid.NewGuid():N}"
            : v.Text(request.ClientMessageId, "client_message_id", 1, ChatMessage.MaxClientMessageIdLength);
        if (!v.IsValid)
        {
            return new Outcome.Invalid(v);
        }
        if (!await OfferAccess.CanUseConversation(db, caller, offerId, driverId, ct))
        {
            return new Outcome.NotFound();
        }
        if (limits.TryTake(caller) is { } wait)
        {
            return new Outcome.TooMany(limits.Refusal(wait), wait);
        }
        // Stored by the batched writer (group commit): it refuses a closed chat and finds resends inside its own
        // transaction, and announces the message before this returns. See docs/decisions/070-batched-message-writer.md.
        var writer = MessageWriter.For(db) ?? throw new InvalidOperationException("MessageWriter is not registered.");
        var now = clock.GetUtcNow().UtcDateTime;
        var written = await writer.Write(new MessageWriter.Send(offerId, driverId, caller.UserType, caller.Id, text!, clientId!, now), ct);
        if (!written.Created)
        {
            limits.Return(caller);
        }
        if (written.ClosedReason is { } closed)
        {
            return new Outcome.Conflict(closed, await OfferViews.ForCaller(db, caller, offerId, now, ct));
        }
        return written.Created
            ? new Stored(MessageResponse.From(written.Message!), Created: true)
            : Resent(written.Message!, offerId, driverId);
    }

    /// <summary>Why the conversation (offer, driver) takes no more messages, or null while it is open.</summary>
    public static string? ClosedReason(string offerStatus, int? bookedDriverId, int driverId) => offerStatus switch
    {
        OfferStatus.Cancelled => "This offer was cancelled; its chat is closed.",
        OfferStatus.Completed when bookedDriverId != driverId => "This load was booked by another driver; this chat is closed.",
        _ => null,
    };

    private static Outcome Resent(ChatMessage earlier, int offerId, int driverId) =>
        earlier.OfferId == offerId && earlier.DriverId == driverId
            ? new Stored(MessageResponse.From(earlier), Created: false)
            : new Outcome.Invalid("client_message_id", "This client_message_id was already used for a message in another conversation; use a new one per message.");
}
