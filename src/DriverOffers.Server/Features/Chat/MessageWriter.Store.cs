using DriverOffers.Server.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace DriverOffers.Server.Features.Chat;

// One batch into the database: the closed-chat check, resends found by their key, and the inserts, in one transaction.
public sealed partial class MessageWriter
{
    /// <summary>Per writer, so per host and provider: one process may host servers on different databases (the tests do).</summary>
    private readonly Func<AppDb, int, CancellationToken, Task<OfferState?>> _findOffer = EF.CompileAsyncQuery(
        (AppDb db, int id, CancellationToken _) => db.Offers.AsNoTracking().Where(o => o.Id == id)
            .Select(o => new OfferState(o.Status, o.BookedDriverId)).FirstOrDefault());

    private Task<Written[]> Store(AppDb db, Send[] sends, bool lookUpFirst, CancellationToken ct) =>
        db.Database.CreateExecutionStrategy().ExecuteAsync(() => StoreOnce(db, _findOffer, sends, lookUpFirst, ct));

    private static async Task<Written[]> StoreOnce(AppDb db, Func<AppDb, int, CancellationToken, Task<OfferState?>> findOffer, Send[] sends,
        bool lookUpFirst, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // Before any id is handed out: another server's writer or a use case writing the same conversation commits first,
        // so a conversation's ids become visible in id order (AppDb.LockConversations). Read after it, the offers' state
        // is the latest committed.
        await db.LockConversations(sends.Select(s => s.OfferId), ct);
        var offers = await FindOffers(db, findOffer, [.. sends.Select(s => s.OfferId).Distinct()], ct);
        var written = new Written[sends.Length];
        var added = new Dictionary<(string, int, string), ChatMessage>();
        for (var i = 0; i < sends.Length; i++)
        {
            var s = sends[i];
            var key = (s.SenderType, s.SenderId, s.ClientMessageId);
            if (added.TryGetValue(key, out var twin))
            {
                written[i] = new Written(twin, Created: false, null);
                continue;
            }
            var closed = offers[s.OfferId] is { } offer ? SendMessage.ClosedReason(offer.Status, offer.BookedDriverId, s.DriverId) : "This offer no longer exists.";
            // A resend gets its stored row even once the chat has closed.
            if ((lookUpFirst || closed is not null) && await FindStored(db, s, ct) is { } stored)
            {
                written[i] = new Written(stored, Created: false, null);
                continue;
            }
            if (closed is not null)
            {
                written[i] = new Written(null, Created: false, closed);
                continue;
            }
            var message = ChatMessage.Text(s.OfferId, s.DriverId, s.SenderType, s.SenderId, s.Message, s.ClientMessageId, s.Now);
            added[key] = message;
            written[i] = new Written(message, Created: true, null);
        }
        // Multi-row INSERT ... RETURNING (Data/BulkInsert): EF Core's change tracking cost more than the rest of a send.
        // A resend of a message already stored (its ack lost with a killed server) is skipped by the statement rather
        // than failing it, and only then looked up: the normal send pays nothing for resends (decision 082).
        var resent = await BulkInsert.RowsSkippingStored(db, [.. added.Values], ResendKey(db), ct);
        if (resent.Count > 0)
        {
            var storedFor = new Dictionary<ChatMessage, ChatMessage>(ReferenceEqualityComparer.Instance);
            foreach (var message in resent)
            {
                var send = sends[Array.FindIndex(written, w => ReferenceEquals(w.Message, message))];
                storedFor[message] = await FindStored(db, send, ct)
                    ?? throw new InvalidOperationException($"Chat message {send.ClientMessageId} was neither stored nor found stored.");
            }
            for (var i = 0; i < written.Length; i++)
            {
                if (written[i].Message is { } message && storedFor.TryGetValue(message, out var stored))
                {
                    written[i] = new Written(stored, Created: false, null);
                }
            }
        }
        // A batch past its deadline has been answered with an error already (its senders send again): it must not commit
        // now, or those messages would be stored without ever being announced.
        ct.ThrowIfCancellationRequested();
        await tx.CommitAsync(ct);
        return written;
    }

    /// <summary>The unique index (sender_type, sender_id, client_message_id) that makes a send idempotent.</summary>
    private static IReadOnlyIndex ResendKey(AppDb db) => db.Model.FindEntityType(typeof(ChatMessage))!.GetIndexes().Single(i => i.IsUnique);

    /// <summary>The row a send's sender already stored under its client_message_id (one probe of the unique index).</summary>
    private static Task<ChatMessage?> FindStored(AppDb db, Send s, CancellationToken ct) => db.ChatMessages.AsNoTracking().FirstOrDefaultAsync(
        m => m.SenderType == s.SenderType && m.SenderId == s.SenderId && m.ClientMessageId == s.ClientMessageId, ct);

    /// <summary>
    /// The state of each offer in the batch (null: no such offer). One statement for the whole batch: a batch under load
    /// spans hundreds of conversations, and one look-up each cost a round trip apiece on MariaDB (about 0.35 ms through
    /// Oracle's connector: most of the writer's time from 2,000 msg/s on). A batch of one conversation keeps the compiled query.
    /// </summary>
    private static async Task<Dictionary<int, OfferState?>> FindOffers(AppDb db, Func<AppDb, int, CancellationToken, Task<OfferState?>> findOffer,
        int[] ids, CancellationToken ct)
    {
        if (ids.Length == 1)
        {
            return new() { [ids[0]] = await findOffer(db, ids[0], ct) };
        }
        var offers = ids.ToDictionary(id => id, _ => (OfferState?)null);
        foreach (var o in await db.OffersWithIds(ids).AsNoTracking().Select(o => new { o.Id, o.Status, o.BookedDriverId }).ToListAsync(ct))
        {
            offers[o.Id] = new OfferState(o.Status, o.BookedDriverId);
        }
        return offers;
    }

    private sealed record OfferState(string Status, int? BookedDriverId);
}
