using System.Threading.Channels;
using DriverOffers.Server.Data;
using DriverOffers.Server.Realtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace DriverOffers.Server.Features.Chat;

/// <summary>
/// Group commit for chat sends (docs/decisions/070-batched-message-writer.md). One writer task takes every queued
/// send, inserts them in one transaction, commits durably (one fsync for the whole batch), announces the stored
/// messages in id order, and only then answers each caller. While a batch commits, the next one queues up, so the
/// batch size follows the load: one message when idle, hundreds under a burst.
/// Guarantees kept: a message is stored before anyone is told (ack or broadcast); a resend of a sender's
/// client_message_id gets the stored row, never a second one; a closed chat refuses inside the same transaction
/// that would have stored the message, so a send can't slip past a booking or a cancel.
/// </summary>
public sealed class MessageWriter(IServiceScopeFactory scopes, ILiveEvents live, ILogger<MessageWriter> log) : BackgroundService
{
    /// <summary>Bounded so one commit stays short; a longer queue simply becomes the next batch.</summary>
    public const int MaxBatch = 512;

    /// <summary>What happened to one send: stored now, found already stored (a resend), or refused (chat closed).</summary>
    public sealed record Written(ChatMessage? Message, bool Created, string? ClosedReason);

    /// <summary>One text message to store: the sender, the conversation, and the sender's idempotency key.</summary>
    public sealed record Send(int OfferId, int DriverId, string SenderType, int SenderId, string Message, string ClientMessageId, DateTime Now);

    private sealed record Pending(Send Send, TaskCompletionSource<Written> Done);

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new() { SingleReader = true });

    /// <summary>The writer of the application <paramref name="db"/> belongs to, or null outside a host (unit tests).</summary>
    public static MessageWriter? For(AppDb db) =>
        db.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.ApplicationServiceProvider?.GetService<MessageWriter>();

    /// <summary>Queues <paramref name="send"/>; completes once it is durably committed and announced (or refused).</summary>
    public Task<Written> Write(Send send, CancellationToken ct)
    {
        var pending = new Pending(send, new TaskCompletionSource<Written>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new InvalidOperationException("The server is shutting down; the message was not stored.");
        }
        // A caller that gives up only stops waiting: the send may still commit, and a resend will find it.
        return pending.Done.Task.WaitAsync(ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Pending>(MaxBatch);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var pending))
                {
                    batch.Add(pending);
                }
                try
                {
                    var written = await WriteBatch([.. batch.Select(p => p.Send)], stoppingToken);
                    for (var i = 0; i < batch.Count; i++)
                    {
                        batch[i].Done.TrySetResult(written[i]);
                    }
                }
                catch (Exception e)
                {
                    log.LogError(e, "Storing a batch of {Count} chat messages failed; their senders get an error and may resend", batch.Count);
                    foreach (var p in batch)
                    {
                        p.Done.TrySetException(new InvalidOperationException("The message could not be stored; send it again.", e));
                    }
                }
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        _queue.Writer.TryComplete();
        while (_queue.Reader.TryRead(out var left))
        {
            left.Done.TrySetException(new InvalidOperationException("The server is shutting down; the message was not stored."));
        }
    }

    private async Task<Written[]> WriteBatch(Send[] sends, CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        // Resends are rare (after a reconnect), so the first attempt just inserts; only when the unique index
        // (sender, client_message_id) refuses does the batch run again, looking each send up first.
        Written[] written;
        try
        {
            written = await Store(db, sends, lookUpFirst: false, ct);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            written = await Store(db, sends, lookUpFirst: true, ct);
        }
        // Stored, so now it may be told: in id order, so every listener sees a conversation in order.
        foreach (var w in written.Where(w => w.Created).OrderBy(w => w.Message!.Id))
        {
            await live.MessageStored(MessageResponse.From(w.Message!), ct);
        }
        return written;
    }

    private static async Task<Written[]> Store(AppDb db, Send[] sends, bool lookUpFirst, CancellationToken ct)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await db.Database.OpenConnectionAsync(ct);
            if (db.Database.IsSqlite())
            {
                // Durable commits: in WAL mode FULL syncs the log at every commit (NORMAL could lose the last ones on
                // power loss). Set on the connection this batch uses, whatever the pool handed out.
                await db.Database.ExecuteSqlRawAsync("PRAGMA synchronous=FULL;", ct);
            }
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var offerIds = sends.Select(s => s.OfferId).Distinct().ToList();
            var offers = await db.Offers.AsNoTracking().Where(o => offerIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, ct);
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
                var closed = offers.TryGetValue(s.OfferId, out var offer) ? SendMessage.ClosedReason(offer, s.DriverId) : "This offer no longer exists.";
                // A resend gets its stored row even once the chat has closed.
                if ((lookUpFirst || closed is not null) && await db.ChatMessages.AsNoTracking().FirstOrDefaultAsync(
                        m => m.SenderType == s.SenderType && m.SenderId == s.SenderId && m.ClientMessageId == s.ClientMessageId, ct) is { } stored)
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
                db.ChatMessages.Add(message);
                added[key] = message;
                written[i] = new Written(message, Created: true, null);
            }
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return written;
        });
    }
}
