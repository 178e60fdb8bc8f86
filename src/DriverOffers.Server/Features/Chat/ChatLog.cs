using System.Globalization;
using DriverOffers.Server.Common;
using DriverOffers.Server.Data;
using DriverOffers.Server.Realtime;

namespace DriverOffers.Server.Features.Chat;

/// <summary>
/// The chat is also the offer's audit trail: use cases add a system message for every state change to the
/// conversations it touches (in the same SaveChanges), then announce the stored messages.
/// </summary>
public sealed class ChatLog(AppDb db, Caller actor, DateTime now)
{
    private readonly List<ChatMessage> _added = [];

    public IReadOnlyList<ChatMessage> Added => _added;

    public ChatMessage System(int offerId, int driverId, string text, decimal? rate = null) =>
        Track(ChatMessage.System(offerId, driverId, actor.UserType, actor.Id, text, now, rate));

    /// <summary>A system message that the caller stores itself, in bulk with others (<see cref="Data.BulkInsert"/>),
    /// inside its transaction; announced with the rest.</summary>
    public ChatMessage SystemInBulk(int offerId, int driverId, string text)
    {
        var m = ChatMessage.System(offerId, driverId, actor.UserType, actor.Id, text, now);
        _added.Add(m);
        return m;
    }

    /// <summary>The stored messages as sent on the wire; call after they were saved (their ids are set then).</summary>
    public List<MessageResponse> Stored() => _added.Select(MessageResponse.From).ToList();

    /// <summary>A rate put on the table (the dispatcher's counter back): unread for the other side until read.</summary>
    public ChatMessage RateProposal(int offerId, int driverId, decimal rate, string text) =>
        Track(ChatMessage.RateProposal(offerId, driverId, actor.UserType, actor.Id, rate, text, clientMessageId: null, now));

    /// <summary>Call after SaveChanges: the database is the guarantee, the socket is only fast.</summary>
    public async Task Announce(ILiveEvents live, CancellationToken ct)
    {
        foreach (var m in _added)
        {
            await live.MessageStored(MessageResponse.From(m), ct);
        }
    }

    public static string Money(decimal amount) => amount.ToString("$#,##0.00", CultureInfo.InvariantCulture);

    /// <summary>A moment in a stored text ("Nov 27, 2026 08:32:36 UTC"): the text is the same for every reader, wherever
    /// they are, so it says its zone; spelled out rather than ISO, since people read it.</summary>
    public static string Moment(DateTime utc) => utc.ToString("MMM d, yyyy HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    private ChatMessage Track(ChatMessage m)
    {
        db.ChatMessages.Add(m);
        _added.Add(m);
        return m;
    }
}
