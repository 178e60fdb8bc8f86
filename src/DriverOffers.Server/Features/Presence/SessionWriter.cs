using System.Threading.Channels;
using DriverOffers.Server.Common;
using DriverOffers.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace DriverOffers.Server.Features.Presence;

/// <summary>
/// Writes <c>socket_sessions</c> (open on connect, last_seen on heartbeat, close on disconnect) through one writer
/// task that commits everything queued in one transaction — the same group commit as chat sends
/// (docs/decisions/070-batched-message-writer.md). Without it every connect pays a durable commit of its own and a
/// reconnect storm of thousands of clients queues on SQLite's write lock. Callers still wait for their row to be
/// committed, so the table reads the same as before.
/// </summary>
public sealed class SessionWriter(IServiceScopeFactory scopes, ILogger<SessionWriter> log) : BackgroundService
{
    private const int MaxBatch = 1024;

    private enum Kind { Open, Seen, Close }

    private sealed record Op(Kind Kind, string SocketId, DateTime Now, int UserId, string UserType, TaskCompletionSource Done);

    private readonly FailureStreak _failures = new(log, "Writing socket session changes");

    private readonly Channel<Op> _queue = Channel.CreateUnbounded<Op>(new() { SingleReader = true });

    public Task Open(int userId, string userType, string socketId, DateTime now, CancellationToken ct) =>
        Enqueue(new Op(Kind.Open, socketId, now, userId, userType, NewDone()), ct);

    public Task Seen(string socketId, DateTime now, CancellationToken ct) =>
        Enqueue(new Op(Kind.Seen, socketId, now, 0, "", NewDone()), ct);

    public Task Close(string socketId, DateTime now, CancellationToken ct) =>
        Enqueue(new Op(Kind.Close, socketId, now, 0, "", NewDone()), ct);

    private static TaskCompletionSource NewDone() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private Task Enqueue(Op op, CancellationToken ct)
    {
        if (!_queue.Writer.TryWrite(op))
        {
            return Task.CompletedTask; // shutting down: presence may be lost, and start-up marks everyone offline
        }
        return op.Done.Task.WaitAsync(ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Op>(MaxBatch);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var op))
                {
                    batch.Add(op);
                }
                try
                {
                    await WriteRetryingConflicts(batch, stoppingToken);
                    _failures.Succeeded();
                    batch.ForEach(op => op.Done.TrySetResult());
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    _failures.Failed(e);
                    batch.ForEach(op => op.Done.TrySetException(e));
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
            left.Done.TrySetResult();
        }
    }

    /// <summary>
    /// Servers sharing the database write this table at once, and on MariaDB one's set-based UPDATE and the other's
    /// inserts can deadlock on the socket id index (a heartbeat failed in a two-server test). The database rolled the
    /// loser back whole, so its batch simply runs again.
    /// </summary>
    private Task WriteRetryingConflicts(List<Op> batch, CancellationToken ct) => TransientConflicts.Retry(() => Write(batch, ct), ct);

    private async Task Write(List<Op> batch, CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        // Heartbeats are nearly all of the traffic (10,000 connections beating every 30 s). A socket that only beat in
        // this batch takes part in one set-based UPDATE instead of being loaded, tracked and written back row by row,
        // which kept SQLite's write lock (shared with chat sends) for the length of a few hundred statements.
        var opensOrCloses = batch.Where(o => o.Kind != Kind.Seen).Select(o => o.SocketId).ToHashSet(StringComparer.Ordinal);
        var beats = batch.Where(o => o.Kind == Kind.Seen && !opensOrCloses.Contains(o.SocketId)).ToList();
        var others = batch.Where(o => o.Kind != Kind.Seen || opensOrCloses.Contains(o.SocketId)).ToList();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (beats.Count > 0)
        {
            var beaten = beats.Select(o => o.SocketId).Distinct().ToList();
            // One time for the batch: its beats arrived within the few milliseconds the previous commit took.
            var seen = beats.Max(o => o.Now);
            await db.SocketSessions.Where(s => beaten.Contains(s.SocketId))
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.IsOnline, true).SetProperty(x => x.LastSeen, seen), ct);
        }
        var sessions = new Dictionary<string, SocketSession>(StringComparer.Ordinal);
        var existing = others.Where(o => o.Kind != Kind.Open).Select(o => o.SocketId).Distinct().ToList();
        if (existing.Count > 0)
        {
            foreach (var s in await db.SocketSessions.Where(s => existing.Contains(s.SocketId)).OrderBy(s => s.Id).ToListAsync(ct))
            {
                sessions[s.SocketId] = s; // the latest row of a socket id wins
            }
        }
        foreach (var op in others)
        {
            switch (op.Kind)
            {
                case Kind.Open:
                    var opened = SocketSession.Open(op.UserId, op.UserType, op.SocketId, op.Now);
                    db.SocketSessions.Add(opened);
                    sessions[op.SocketId] = opened;
                    break;
                case Kind.Seen when sessions.TryGetValue(op.SocketId, out var seen):
                    seen.Seen(op.Now);
                    break;
                case Kind.Close when sessions.TryGetValue(op.SocketId, out var closed):
                    closed.Close(op.Now);
                    break;
            }
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }
}
