namespace DriverOffers.Server.Features.Chat;

public static class SenderType
{
    public const string Dispatcher = "dispatcher";
    public const string Driver = "driver";
}

public static class MessageType
{
    public const string Text = "text";
    public const string RateProposal = "rate_proposal";
    public const string System = "system";
}

/// <summary>
/// One message in the conversation (offer_id, driver_id). Ordered by id. <c>IsRead</c> means the other side read it.
/// </summary>
public sealed class ChatMessage
{
    public const int MaxLength = 4000;
    public const int MaxClientMessageIdLength = 64;

    private ChatMessage() { }

    public long Id { get; private set; }
    public int OfferId { get; private set; }
    public int DriverId { get; private set; }
    public string SenderType { get; private set; } = Chat.SenderType.Dispatcher;
    public int SenderId { get; private set; }
    public string Message { get; private set; } = "";
    public string MessageType { get; private set; } = Chat.MessageType.Text;
    public decimal? Rate { get; private set; }
    public bool IsRead { get; private set; }
    public DateTime? ReadAt { get; private set; }
    public DateTime CreatedAt { get; private set; }
    public string? ClientMessageId { get; private set; }

    public static ChatMessage Text(int offerId, int driverId, string senderType, int senderId, string message, string clientMessageId, DateTime now) =>
        new()
        {
            OfferId = offerId, DriverId = driverId, SenderType = senderType, SenderId = senderId,
            Message = message, MessageType = Chat.MessageType.Text, ClientMessageId = clientMessageId, CreatedAt = now,
        };

    public static ChatMessage RateProposal(int offerId, int driverId, string senderType, int senderId, decimal rate, string message, string? clientMessageId, DateTime now) =>
        new()
        {
            OfferId = offerId, DriverId = driverId, SenderType = senderType, SenderId = senderId, Rate = rate,
            Message = message, MessageType = Chat.MessageType.RateProposal, ClientMessageId = clientMessageId, CreatedAt = now,
        };

    /// <summary>An audit-trail event. System messages count as read: they never raise unread badges.
    /// <paramref name="rate"/> is set when the event is about a rate (a driver's counter, a booking).</summary>
    public static ChatMessage System(int offerId, int driverId, string senderType, int senderId, string message, DateTime now, decimal? rate = null) =>
        new()
        {
            OfferId = offerId, DriverId = driverId, SenderType = senderType, SenderId = senderId, Rate = rate,
            Message = message, MessageType = Chat.MessageType.System, IsRead = true, ReadAt = now, CreatedAt = now,
        };
}
