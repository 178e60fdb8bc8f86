using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Threading.Channels;
using DriverOffers.Server.Data;
using DriverOffers.Server.Realtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
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
    public static MessageWriter? For(AppDb db) => db.ApplicationServices?.GetService<MessageWriter>();

    /// <summary>Queues <paramref name="send"/>; completes once it is durably committed and announced (or refused).</summary>
    public Task<Written> Write(Send send, CancellationToken ct)
    {
        var pending = new Pending(send, new TaskCompletionSource<Written>());
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new InvalidOperationException("The server is shutting down; the message was not stored.");
        }
        // A caller that gives up only stops waiting: the send may still commit, and a resend will find it.
        return pending.Done.Task.WaitAsync(ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var announcer = Task.Run(() => AnnounceQueued(stoppingToken), CancellationToken.None);
        var batch = new List<Pending>(MaxBatch);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var pending))
                {
                    batch.Add(pending);
                }
                Written[]? written = null;
                try
                {
                    written = await WriteBatch([.. batch.Select(p => p.Send)], stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    log.LogError(e, "Storing a batch of {Count} chat messages failed; their senders get an error and may resend", batch.Count);
                    ResetContext();
                    foreach (var p in batch)
                    {
                        p.Done.TrySetException(new InvalidOperationException("The message could not be stored; send it again.", e));
                    }
                }
                if (written is null)
                {
                    batch.Clear();
                }
                else if (Volatile.Read(ref _queuedAnnouncements) == 0 && !_queue.Reader.TryPeek(out _))
                {
                    // Nothing else to store: told and answered on this thread, which saves a thread hop per message
                    // (a large part of the round trip on a small machine). Safe for order: nothing is queued ahead.
                    await Answer(batch, written, stoppingToken);
                    batch.Clear();
                }
                else
                {
                    // Under load the next batch commits while this one is told and answered, in batch order.
                    Interlocked.Increment(ref _queuedAnnouncements);
                    _announcements.Writer.TryWrite((batch, written));
                    batch = new List<Pending>(MaxBatch);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        _announcements.Writer.TryComplete();
        await announcer;
        _queue.Writer.TryComplete();
        while (_queue.Reader.TryRead(out var left))
        {
            left.Done.TrySetException(new InvalidOperationException("The server is shutting down; the message was not stored."));
        }
        ResetContext();
    }

    private readonly Channel<(List<Pending> Batch, Written[] Written)> _announcements =
        Channel.CreateUnbounded<(List<Pending>, Written[])>(new() { SingleReader = true, SingleWriter = true });

    private int _queuedAnnouncements;

    private async Task AnnounceQueued(CancellationToken ct)
    {
        await foreach (var (batch, written) in _announcements.Reader.ReadAllAsync(CancellationToken.None))
        {
            await Answer(batch, written, ct);
            Interlocked.Decrement(ref _queuedAnnouncements);
        }
    }

    /// <summary>
    /// Stored, so now it may be told (in id order, so every listener sees a conversation in order), then each sender
    /// answered. The senders' continuations (the acks) run right here rather than after a thread-pool hop.
    /// </summary>
    private async Task Answer(List<Pending> batch, Written[] written, CancellationToken ct)
    {
        var stored = written.Where(w => w.Created).Select(w => MessageResponse.From(w.Message!)).OrderBy(m => m.Id).ToList();
        if (stored.Count > 0)
        {
            // A context only when an offer's audience is not known (rare): never the writer's own, which may be busy.
            IServiceScope? scope = null;
            try
            {
                await live.MessagesStoredNow(stored, () => (scope ??= scopes.CreateScope()).ServiceProvider.GetRequiredService<AppDb>(), ct);
            }
            catch (Exception e)
            {
                // Live events may be lost (clients catch up from the database); the messages are stored and are
                // answered whatever happened here, even at shutdown.
                if (e is not OperationCanceledException)
                {
                    log.LogWarning(e, "new_message could not be sent for {Count} stored messages", stored.Count);
                }
            }
            finally
            {
                scope?.Dispose();
            }
        }
        for (var i = 0; i < batch.Count; i++)
        {
            batch[i].Done.TrySetResult(written[i]);
        }
    }

    private async Task<Written[]> WriteBatch(Send[] sends, CancellationToken ct)
    {
        var db = await OpenContext(ct);
        // Resends are rare (after a reconnect), so the first attempt just inserts; only when the unique index
        // (sender, client_message_id) refuses does the batch run again, looking each send up first.
        try
        {
            return await Store(db, sends, lookUpFirst: false, ct);
        }
        catch (DbException e) when (DbErrors.IsUniqueViolation(e))
        {
            return await Store(db, sends, lookUpFirst: true, ct);
        }
    }

    /// <summary>
    /// The writer keeps one context with its connection open: a scope, a context and an opened connection per
    /// batch cost more than storing one message. Dropped after any failure, so a broken connection is not reused.
    /// </summary>
    private AppDb Context()
    {
        if (_db is null)
        {
            _scope = scopes.CreateScope();
            _db = _scope.ServiceProvider.GetRequiredService<AppDb>();
            _db.ChangeTracker.AutoDetectChangesEnabled = false;
        }
        return _db;
    }

    private async Task<AppDb> OpenContext(CancellationToken ct)
    {
        var db = Context();
        if (!_open)
        {
            await db.Database.OpenConnectionAsync(ct);
            if (db.Database.IsSqlite())
            {
                // Durable commits: in WAL mode FULL syncs the log at every commit (NORMAL could lose the last ones on
                // power loss). Set on the connection the writer keeps.
                // Checkpoints are Data/SqliteCheckpointer's job, so no send waits for one.
                await db.Database.ExecuteSqlRawAsync("PRAGMA synchronous=FULL; PRAGMA wal_autocheckpoint=0;", ct);
            }
            _open = true;
        }
        return db;
    }

    private void ResetContext()
    {
        _scope?.Dispose();
        (_scope, _db, _open) = (null, null, false);
    }

    private IServiceScope? _scope;
    private AppDb? _db;
    private bool _open;

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
        var offers = new Dictionary<int, OfferState?>();
        foreach (var offerId in sends.Select(s => s.OfferId).Distinct())
        {
            offers[offerId] = await findOffer(db, offerId, ct);
        }
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
            added[key] = message;
            written[i] = new Written(message, Created: true, null);
        }
        if (added.Count > 0)
        {
            await Insert(db, tx.GetDbTransaction(), added, ct);
        }
        await tx.CommitAsync(ct);
        return written;
    }

    /// <summary>
    /// One multi-row INSERT ... RETURNING for the whole batch (SQLite 3.35+, PostgreSQL, MariaDB 10.5+), instead of
    /// EF Core's change tracking, which cost more CPU than the rest of a send (docs/decisions/074). Rows come back in
    /// any order, so each id is matched by the row's unique key (sender, client_message_id).
    /// </summary>
    private static async Task Insert(AppDb db, DbTransaction tx, Dictionary<(string, int, string), ChatMessage> rows, CancellationToken ct)
    {
        await using var cmd = db.Database.GetDbConnection().CreateCommand();
        cmd.Transaction = tx;
        var sql = new StringBuilder("INSERT INTO chat_messages (offer_id, driver_id, sender_type, sender_id, message, message_type, is_read, created_at, client_message_id) VALUES ");
        var n = 0;
        foreach (var m in rows.Values)
        {
            sql.Append(n == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture,
                $"(@o{n}, @d{n}, @t{n}, @s{n}, @m{n}, @y{n}, @r{n}, @c{n}, @k{n})");
            Add(cmd, $"@o{n}", m.OfferId);
            Add(cmd, $"@d{n}", m.DriverId);
            Add(cmd, $"@t{n}", m.SenderType);
            Add(cmd, $"@s{n}", m.SenderId);
            Add(cmd, $"@m{n}", m.Message);
            Add(cmd, $"@y{n}", m.MessageType);
            Add(cmd, $"@r{n}", m.IsRead);
            Add(cmd, $"@c{n}", m.CreatedAt);
            Add(cmd, $"@k{n}", m.ClientMessageId!);
            n++;
        }
        cmd.CommandText = sql.Append(" RETURNING id, sender_type, sender_id, client_message_id").ToString();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var stored = 0;
        while (await reader.ReadAsync(ct))
        {
            rows[(reader.GetString(1), Convert.ToInt32(reader.GetValue(2), CultureInfo.InvariantCulture), reader.GetString(3))]
                .StoredAs(Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture));
            stored++;
        }
        if (stored != rows.Count)
        {
            throw new InvalidOperationException($"The database returned {stored} ids for {rows.Count} inserted messages.");
        }
    }

    private static void Add(DbCommand cmd, string name, object value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        cmd.Parameters.Add(p);
    }

    private sealed record OfferState(string Status, int? BookedDriverId);
}
