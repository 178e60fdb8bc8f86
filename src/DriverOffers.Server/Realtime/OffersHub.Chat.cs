using System.Text.Json;
using DriverOffers.Server.Common;
using DriverOffers.Server.Features.Chat;
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
        var messages = _db.ChatMessages.Where(m => m.OfferId == offerId && m.DriverId == driverId);
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
        var offer = await Conversation(offerId, driverId);
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, HubGroups.Conversation(offerId, driverId), Aborted);
        await _typing.Stop(Me, offer, driverId, Context.ConnectionId);
        return new ConversationRequest(offerId, driverId);
    }

    /// <summary><c>typing_start {offer_id, driver_id}</c>: relayed as <c>user_typing</c> to the other side, throttled.</summary>
    [HubMethodName("typing_start")]
    public async Task TypingStart(JsonElement request)
    {
        var (offerId, driverId) = ReadConversation(request);
        await _typing.Start(Me, await Conversation(offerId, driverId), driverId, Context.ConnectionId);
    }

    /// <summary><c>typing_stop {offer_id, driver_id}</c>.</summary>
    [HubMethodName("typing_stop")]
    public async Task TypingStop(JsonElement request)
    {
        var (offerId, driverId) = ReadConversation(request);
        await _typing.Stop(Me, await Conversation(offerId, driverId), driverId, Context.ConnectionId);
    }

    private static (int OfferId, int DriverId) ReadConversation(JsonElement request)
    {
        var r = HubArgs.Read<ConversationRequest>(request, ConversationExample);
        return (HubArgs.Required(r.OfferId, "offer_id"), HubArgs.Required(r.DriverId, "driver_id"));
    }
}
