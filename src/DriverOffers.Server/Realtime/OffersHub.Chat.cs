using System.Diagnostics;
using System.Text.Json;
using DriverOffers.Server.Common;
using DriverOffers.Server.Features.Chat;
using DriverOffers.Server.Features.Offers;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;

namespace DriverOffers.Server.Realtime;

/// <summary>Chat over the hub: the same use cases as <c>/api/offers/{id}/chat/{driver_id}</c>.</summary>
public sealed partial class OffersHub
{
    private const string ConversationExample = "{\"offer_id\": 1, \"driver_id\": 107}";

    public sealed record ConversationRequest(int? OfferId, int? DriverId);

    /// <summary>Who is on the other side of a conversation, and whether they are online.</summary>
    public sealed record Counterpart(string UserType, int Id, bool IsOnline, DateTime? LastSeen);

    public sealed record JoinResponse(int OfferId, int DriverId, long LastMessageId, int UnreadCount, Counterpart Counterpart);

    /// <summary>
    /// <c>join_offer_chat {offer_id, driver_id}</c>: opens a conversation. Events reach the caller whether or not it
    /// joined; joining checks access and answers what a chat header needs.
    /// </summary>
    [HubMethodName("join_offer_chat")]
    public async Task<JoinResponse> JoinOfferChat(JsonElement request)
    {
        var (offerId, driverId) = ReadConversation(request);
        var offer = await Conversation(offerId, driverId);
        await Groups.AddToGroupAsync(Context.ConnectionId, HubGroups.Conversation(offerId, driverId), Aborted);
        var me = Me;
        var otherSide = me.IsDriver ? SenderType.Dispatcher : SenderType.Driver;
        var messages = Db.ChatMessages.Where(m => m.OfferId == offerId && m.DriverId == driverId);
        var lastId = await messages.MaxAsync(m => (long?)m.Id, Aborted) ?? 0;
        var unread = await messages.CountAsync(m => m.SenderType == otherSide && !m.IsRead, Aborted);
        var counterpart = me.IsDriver
            ? new Counterpart(SenderType.Dispatcher, offer.CreatedBy, _online.IsOnline(SenderType.Dispatcher, offer.CreatedBy), _online.LastSeen(SenderType.Dispatcher, offer.CreatedBy))
            : new Counterpart(SenderType.Driver, driverId, _online.IsOnline(SenderType.Driver, driverId), _online.LastSeen(SenderType.Driver, driverId));
        return new JoinResponse(offerId, driverId, lastId, unread, counterpart);
    }

    /// <summary><c>leave_offer_chat {offer_id, driver_id}</c>: closes a conversation; stops the caller's typing there.</summary>
    [HubMethodName("leave_offer_chat")]
    public async Task<ConversationRequest> LeaveOfferChat(JsonElement request)
    {
        var (offerId, driverId) = ReadConversation(request);
        await Conversation(offerId, driverId);
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, HubGroups.Conversation(offerId, driverId), Aborted);
        await _typing.Stop(Me, offerId, driverId, Context.ConnectionId);
        return new ConversationRequest(offerId, driverId);
    }

    /// <summary>
    /// <c>typing_start {offer_id, driver_id}</c>: relayed as <c>user_typing</c> to the other side, throttled. Refused,
    /// with send_message's reason, where send_message is (a cancelled offer; a completed one for every driver but the
    /// booked one): nobody should see "typing…" in a chat where nothing can be sent. A typing state relayed before the
    /// chat closed ends then (docs/decisions/101-typing-in-a-closed-chat.md).
    /// </summary>
    [HubMethodName("typing_start")]
    public async Task TypingStart(JsonElement request)
    {
        var (offerId, driverId) = ReadConversation(request);
        var offer = await Conversation(offerId, driverId);
        if (await ChatClosedReason(offerId, driverId) is { } closed)
        {
            await _typing.Stop(Me, offerId, driverId, Context.ConnectionId);
            throw new HubException($"{closed} Nothing was relayed.");
        }
        await _typing.Start(Me, offer, driverId, Context.ConnectionId);
    }

    /// <summary>
    /// Why the conversation takes no more messages (as send_message decides it), or null while it is open. A closed
    /// chat never opens again (final states stay final), so the connection remembers that answer. An open answer holds
    /// until any server announces an offer change (<see cref="OfferChangeSignal"/>), and at most
    /// <see cref="OpenTrustedFor"/> (for a notice from another server lost while Redis was away). Read on every call,
    /// it cost a database read per typing_start, the hub's busiest call, and cut the typing rate the server sustains to
    /// a fifth (docs/benchmarks.md, session 14).
    /// </summary>
    private async Task<string?> ChatClosedReason(int offerId, int driverId)
    {
        var key = $"closed:{offerId}:{driverId}";
        if (Context.Items.TryGetValue(key, out var known))
        {
            if (known is string reason)
            {
                return reason;
            }
            if (known is OpenSeen seen && seen.Changes == _offerChanges.Count && Stopwatch.GetElapsedTime(seen.At) < OpenTrustedFor)
            {
                return null;
            }
        }
        var open = new OpenSeen(_offerChanges.Count, Stopwatch.GetTimestamp());
        var offer = await Db.Offers.AsNoTracking().Where(o => o.Id == offerId)
            .Select(o => new { o.Status, o.BookedDriverId }).FirstOrDefaultAsync(Aborted);
        var closed = offer is null ? "This offer no longer exists." : Features.Chat.SendMessage.ClosedReason(offer.Status, offer.BookedDriverId, driverId);
        Context.Items[key] = closed is null ? open : closed;
        return closed;
    }

    /// <summary>
    /// How long an open answer holds when no offer change was heard. Only typing hangs on it: if another server's
    /// notice is lost (Redis away), "typing…" can show in a chat closed there for up to this long, while the composer
    /// is already closed by the offer's own event.
    /// </summary>
    private static readonly TimeSpan OpenTrustedFor = TimeSpan.FromSeconds(30);

    /// <summary>The chat was read open when the signal had counted <paramref name="Changes"/> offer changes.</summary>
    private sealed record OpenSeen(long Changes, long At);

    /// <summary><c>typing_stop {offer_id, driver_id}</c>.</summary>
    [HubMethodName("typing_stop")]
    public async Task TypingStop(JsonElement request)
    {
        var (offerId, driverId) = ReadConversation(request);
        await Conversation(offerId, driverId);
        await _typing.Stop(Me, offerId, driverId, Context.ConnectionId);
    }

    public sealed record SendRequest(int? OfferId, int? DriverId, string? Message, string? ClientMessageId);

    public sealed record ReadRequest(long? MessageId);

    public sealed record AfterRequest(int? OfferId, int? DriverId, long? AfterId, int? Limit);

    /// <summary>
    /// <c>send_message {offer_id, driver_id, message, client_message_id}</c>: stores, then broadcasts <c>new_message</c>,
    /// and returns the stored message. Resending a client_message_id returns the stored one (as POST .../chat/{driver_id}).
    /// </summary>
    [HubMethodName("send_message")]
    public async Task<MessageResponse> SendMessage(JsonElement request)
    {
        var r = HubArgs.Read<SendRequest>(request,
            "{\"offer_id\": 1, \"driver_id\": 107, \"message\": \"Hi\", \"client_message_id\": \"c0b1…\"}");
        var (offerId, driverId) = (HubArgs.Required(r.OfferId, "offer_id"), ConversationDriver(r.DriverId));
        var me = Me;
        var outcome = await Features.Chat.SendMessage.Execute(Db, _live, _clock, _limits, me, offerId, driverId,
            new Features.Chat.SendMessage.Request(r.Message, r.ClientMessageId), Aborted);
        if (outcome is not Features.Chat.SendMessage.Stored stored)
        {
            throw Refused(outcome);
        }
        await _typing.Stop(me, offerId, driverId, Context.ConnectionId);
        return stored.Message;
    }

    /// <summary>
    /// <c>mark_message_read {message_id}</c>: the caller's side has read everything up to that message in its
    /// conversation (never moving back); <c>message_read</c> tells both sides. Answers the caller's read state.
    /// </summary>
    [HubMethodName("mark_message_read")]
    public async Task<MarkMessagesRead.Response> MarkMessageRead(JsonElement request)
    {
        var messageId = HubArgs.Required(HubArgs.Read<ReadRequest>(request, "{\"message_id\": 42}", "message_id").MessageId, "message_id");
        var outcome = await MarkMessagesRead.Execute(Db, _live, _clock, Me, messageId, Aborted);
        return outcome is MarkMessagesRead.Read read ? read.State : throw Refused(outcome);
    }

    /// <summary>
    /// <c>get_messages_after {offer_id, driver_id, after_id, limit?}</c>: catch-up after a reconnect: the messages with
    /// id &gt; after_id in ascending order, at most <c>limit</c> (default 50, max 200); ask again from the last id
    /// until fewer than <c>limit</c> come back. Same as GET .../chat/{driver_id}?after_id=.
    /// </summary>
    [HubMethodName("get_messages_after")]
    public async Task<List<MessageResponse>> GetMessagesAfter(JsonElement request)
    {
        var r = HubArgs.Read<AfterRequest>(request, "{\"offer_id\": 1, \"driver_id\": 107, \"after_id\": 0}");
        var (offerId, driverId) = (HubArgs.Required(r.OfferId, "offer_id"), ConversationDriver(r.DriverId));
        if (r.AfterId is not { } afterId || afterId < 0)
        {
            throw new HubException("after_id is required: 0 or the last message id the client has.");
        }
        var outcome = await GetConversation.Execute(Db, Me, offerId, driverId, new GetConversation.Page(afterId, null, r.Limit), Aborted);
        return outcome is GetConversation.Found found ? found.Messages : throw Refused(outcome);
    }

    private (int OfferId, int DriverId) ReadConversation(JsonElement request)
    {
        var r = HubArgs.Read<ConversationRequest>(request, ConversationExample);
        return (HubArgs.Required(r.OfferId, "offer_id"), ConversationDriver(r.DriverId));
    }

    /// <summary>
    /// A driver is one side of each of their conversations, so they may leave <c>driver_id</c> out (as in
    /// <c>driver_proposal</c>); one naming another truck gets the same refusal as any conversation not theirs.
    /// </summary>
    private int ConversationDriver(int? driverId) => HubArgs.Required(driverId ?? (Me.IsDriver ? Me.Id : null), "driver_id");
}
