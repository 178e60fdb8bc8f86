using System.Collections.Concurrent;
using DriverOffers.Server.Common;
using DriverOffers.Server.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DriverOffers.Server.Features.Presence;

/// <summary>
/// Hub connection lifecycle → presence: keeps <c>socket_sessions</c> rows (opened on connect, <c>last_seen</c> on
/// heartbeat, closed on disconnect or timeout) and announces a person only when they go online or offline.
/// </summary>
public sealed class TrackPresence(
    IPresenceStore store, IServiceScopeFactory scopes,
    TimeProvider clock, IOptions<PresenceOptions> options, SessionWriter sessions, PresenceAnnouncer announcer, ILogger<TrackPresence> log)
{
    /// <summary>The <c>heartbeat</c> answer: when to beat again at the latest.</summary>
    public sealed record HeartbeatResponse(DateTime ServerTime, double TimeoutSeconds);

    public async Task Connected(Caller caller, string connectionId, CancellationToken ct)
    {
        var now = Now;
        // Counted first: a second tab closing the first one right away must find this connection counted.
        var change = await store.Connected(new Person(caller.UserType, caller.Id), connectionId, now);
        await sessions.Open(caller.Id, caller.UserType, connectionId, now, ct);
        await Announce(change, ct);
    }

    /// <summary>Connects still being recorded, by connection id. Kept only while they run: a completed connect held for
    /// the connection's lifetime was ~0.17 KB per connection (docs/decisions/089-connection-memory-sixth-pass.md).</summary>
    private readonly ConcurrentDictionary<string, Task> _connecting = new(StringComparer.Ordinal);

    /// <summary>
    /// <see cref="Connected"/> without the caller waiting for it; never fails (a failure is logged, as a failed
    /// heartbeat would be: the sweep and the next connect put presence right). <see cref="Disconnected"/> waits for it,
    /// so a connection's session is always closed after it was opened.
    /// </summary>
    public void ConnectInBackground(Caller caller, string connectionId)
    {
        var recorded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _connecting[connectionId] = recorded.Task;
        _ = Record();

        async Task Record()
        {
            try
            {
                await Connected(caller, connectionId, CancellationToken.None);
            }
            catch (Exception e)
            {
                log.LogWarning(e, "A connection's presence could not be recorded");
            }
            finally
            {
                _connecting.TryRemove(connectionId, out _);
                recorded.SetResult();
            }
        }
    }

    public async Task<HeartbeatResponse> Heartbeat(string connectionId, CancellationToken ct)
    {
        var now = Now;
        var change = await store.Beat(connectionId, now);
        await sessions.Seen(connectionId, now, ct);
        await Announce(change, ct);
        return new HeartbeatResponse(now, options.Value.TimeoutSeconds);
    }

    public async Task Disconnected(string connectionId, CancellationToken ct)
    {
        if (_connecting.TryGetValue(connectionId, out var connecting))
        {
            await connecting;
        }
        var now = Now;
        var change = await store.Disconnected(connectionId, now);
        await sessions.Close(connectionId, now, ct);
        await Announce(change, ct);
    }

    /// <summary>
    /// Through the announcer, after the session row is committed: it takes a context only when there is something to
    /// announce, and one for a whole batch (a connect burst or a slow batch has a thousand of them waiting at once).
    /// </summary>
    private Task Announce(PresenceChange? change, CancellationToken ct) =>
        change is { } c ? announcer.Announce([c], ct) : Task.CompletedTask;

    /// <summary>Connections silent past the timeout stop counting; a later heartbeat brings them back.</summary>
    public async Task ExpireSilent(CancellationToken ct)
    {
        var (stale, changes) = await store.Expire(Now, options.Value.Timeout);
        if (stale.Count == 0)
        {
            return;
        }
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        // The store has let these connections go already: a sweep that lost a deadlock to a session write (this
        // server's or another's) and gave up would never announce them offline.
        await TransientConflicts.Retry(() => db.SocketSessions.Where(s => stale.Contains(s.SocketId))
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.IsOnline, false), ct), ct);
        await announcer.Announce(changes, ct);
    }

    /// <summary>
    /// At startup: nobody is connected to a process that just started, so its sessions left open are closed. When
    /// presence is shared, other servers' connections are live: only sessions silent past the timeout are closed here;
    /// those of a server that died are closed by the sweep when their Redis entries expire.
    /// </summary>
    public async Task CloseSessionsLeftOpen(AppDb db, CancellationToken ct)
    {
        var silentSince = store.SharedByServers ? Now - options.Value.Timeout : DateTime.MaxValue;
        // Another server sharing the database writes sessions meanwhile; losing a deadlock to it must not fail start-up.
        await TransientConflicts.Retry(() => db.SocketSessions.Where(s => s.IsOnline && s.LastSeen < silentSince)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.IsOnline, false), ct), ct);
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;
}
