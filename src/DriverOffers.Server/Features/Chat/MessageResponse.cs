namespace DriverOffers.Server.Features.Chat;

/// <summary>A stored chat message on the wire (REST responses, the hub's <c>send_message</c> ack and <c>new_message</c>).</summary>
public sealed record MessageResponse(
    long Id, int OfferId, int DriverId, string SenderType, int SenderId, string Message, string MessageType,
    decimal? Rate, bool IsRead, DateTime? ReadAt, DateTime CreatedAt, string? ClientMessageId)
{
    public static MessageResponse From(ChatMessage m) =>
        new(m.Id, m.OfferId, m.DriverId, m.SenderType, m.SenderId, m.Message, m.MessageType,
            m.Rate, m.IsRead, m.ReadAt, m.CreatedAt, m.ClientMessageId);
}
