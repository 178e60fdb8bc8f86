using System.Threading.Channels;
using DriverOffers.Server.Data;
using DriverOffers.Server.Data.Providers;
using DriverOffers.Server.Realtime;
using Microsoft.EntityFrameworkCore;
using MySql.Data.MySqlClient;

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
public sealed partial class MessageWriter(IServiceScopeFactory scopes, ILiveEvents live, ILogger<MessageWriter> log) : BackgroundService
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
                    written = await WriteRetryingConflicts([.. batch.Select(p => p.Send)], stoppingToken);
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

    /// <summary>
    /// A batch that takes longer fails, so its senders get an error (and send again) rather than every later send waiting
    /// behind one statement. A healthy batch takes milliseconds, hundreds of them when the machine is overloaded.
    /// </summary>
    internal TimeSpan Deadline { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long past the deadline a connector may take to give the statement up before the batch is abandoned.</summary>
    private static readonly TimeSpan AbandonAfter = TimeSpan.FromSeconds(2);

    /// <summary>
    /// A batch that lost a deadlock or a serialization check to another server's transaction was rolled back whole by
    /// the database, so it runs again rather than failing every sender in it, on a fresh context: the writer's kept
    /// one is dropped after any failure.
    /// </summary>
    private Task<Written[]> WriteRetryingConflicts(Send[] sends, CancellationToken ct) =>
        TransientConflicts.Retry(() => WriteWithin(sends, ct), ct, beforeRetry: e =>
        {
            if (log.IsEnabled(LogLevel.Information))
            {
                log.LogInformation(e, "A batch of {Count} chat messages lost a race to another transaction; storing it again", sends.Length);
            }
            ResetContext();
        });

    private async Task<Written[]> WriteWithin(Send[] sends, CancellationToken stoppingToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        deadline.CancelAfter(Deadline);
        var write = WriteBatch(sends, deadline.Token);
        try
        {
            // The token asks the connector to stop; one stuck where it no longer listens (Oracle's, disposing a reader:
            // decision 082) must not hold the writer, so the wait is bounded as well.
            return await write.WaitAsync(Deadline + AbandonAfter, CancellationToken.None);
        }
        catch (TimeoutException)
        {
            await Abandon(write);
            throw new TimeoutException($"Storing {sends.Length} chat messages took longer than {Deadline.TotalSeconds:0.#} s.");
        }
    }

    /// <summary>
    /// Leaves a stuck batch its context (disposed once the batch lets go, never under it) and ends its database session,
    /// which is what frees a read the connector no longer cancels; the session's open transaction is rolled back with it
    /// and its row locks released (MariaDbKilledSessionTests).
    /// </summary>
    private async Task Abandon(Task write)
    {
        var (scope, db) = (_scope, _db);
        (_scope, _db, _open) = (null, null, false);
        _ = write.ContinueWith(t =>
        {
            _ = t.Exception;
            scope?.Dispose();
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        if (db?.Database.GetDbConnection() is MySqlConnection { ServerThread: > 0 and var session } connection)
        {
            try
            {
                // On a connection of its own, outside the pool and its gate (decision 078): when every slot is taken (the
                // load that makes batches stuck), a pooled connection waited out the deadline and the KILL never ran,
                // leaving the stuck session its transaction and row locks for as long as its read hung.
                using var giveUp = new CancellationTokenSource(Deadline);
                await using var killer = new MySqlConnection(new MySqlConnectionStringBuilder(db.Database.GetConnectionString()) { Pooling = false }.ConnectionString);
                await killer.OpenAsync(giveUp.Token);
                await using var kill = new MySqlCommand("KILL CONNECTION @session", killer);
                kill.Parameters.AddWithValue("@session", session);
                await kill.ExecuteNonQueryAsync(giveUp.Token);
            }
            catch (Exception e)
            {
                log.LogWarning(e, "The chat writer's stuck MariaDB session {Session} could not be ended", session);
            }
            // Killed or not, the stuck connection may never close: the writer's next context must not wait for its slot.
            MySqlConnectionGate.GiveUp(connection);
        }
    }

    private async Task<Written[]> WriteBatch(Send[] sends, CancellationToken ct)
    {
        var db = await OpenContext(ct);
        // Resends are rare (after a reconnect), so the first attempt just inserts; only when the unique index
        // (sender, client_message_id) refuses does the batch run again, looking each send up first.
        Written[] written;
        try
        {
            written = await Store(db, sends, lookUpFirst: false, ct);
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            written = await Store(db, sends, lookUpFirst: true, ct);
        }
        if (log.IsEnabled(LogLevel.Information) && written.Count(w => w is { Created: false, Message: not null }) is var resent and > 0)
        {
            // Rare (reconnects, mostly after a restart), and the one sign that the idempotent path ran.
            log.LogInformation("{Resent} of {Count} sends were resends, answered with their stored messages", resent, sends.Length);
        }
        return written;
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
}
