using DriverOffers.Server.Features.Chat;
using DriverOffers.Server.Features.Offers;
using DriverOffers.Server.Features.Proposals;

namespace DriverOffers.Server.Realtime;

/// <summary>Server → client events. Method names are the wire names pinned in DESIGN.md (snake_case).</summary>
public interface IOffersClient
{
    Task offer_created(OfferResponse offer);
    Task offer_updated(OfferResponse offer);
    Task proposal_updated(ProposalResponse proposal);
    Task new_message(MessageResponse message);
    Task user_typing(TypingEvent typing);
    Task message_read(MessageReadEvent read);
    Task presence_changed(PresenceEvent presence);
    Task truck_updated(Features.Drivers.DriverResponse driver);
}

public sealed record TypingEvent(int OfferId, int DriverId, string UserType, int UserId, string Name, bool IsTyping);

/// <summary>Everything in the conversation up to <c>up_to_id</c> sent by the other side was read by <c>reader_type</c>.</summary>
public sealed record MessageReadEvent(int OfferId, int DriverId, string ReaderType, int ReaderId, long UpToId, DateTime ReadAt);

public sealed record PresenceEvent(string UserType, int UserId, bool IsOnline, DateTime LastSeen);
