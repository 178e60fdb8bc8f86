using DriverOffers.Server.Common;
using DriverOffers.Server.Data;
using DriverOffers.Server.Realtime;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DriverOffers.Server.Features.Presence;

/// <summary>
/// Hub connection lifecycle → presence: keeps <c>socket_sessions</c> rows (opened on connect, <c>last_seen</c> on
/// heartbeat, closed on disconnect or timeout) and announces a person only when they go online or offline.
/// </summary>
public sealed class TrackPresence(
    PresenceTracker tracker, IHubContext<OffersHub, IOffersClient> hub, IServiceScopeFactory scopes,
    TimeProvider clock, IOptions<PresenceOptions> options, SessionWriter sessions)
{
    /// <summary>The <c>heartbeat</c> answer: when to beat again at the latest.</summary>
    public sealed record HeartbeatResponse(DateTime ServerTime, double TimeoutSeconds);

    public async Task Connected(AppDb db, Caller caller, string connectionId, CancellationToken ct)
    {
        var now = Now;
        // Memory first: a second tab closing the first one right away must find this connection counted.
        var change = tracker.Connected(new Person(caller.UserType, caller.Id), connectionId, now);
        await sessions.Open(caller.Id, caller.UserType, connectionId, now, ct);
        if (change is not null)
        {
            await AnnouncePresence.Execute(db, hub, change.Value, ct);
        }
    }

    public async Task<HeartbeatResponse> Heartbeat(AppDb db, string connectionId, CancellationToken ct)
    {
        var now = Now;
        var change = tracker.Beat(connectionId, now);
        await sessions.Seen(connectionId, now, ct);
        if (change is { } c)
        {
            await AnnouncePresence.Execute(db, hub, c, ct);
        }
        return new HeartbeatResponse(now, options.Value.TimeoutSeconds);
    }

    public async Task Disconnected(AppDb db, string connectionId, CancellationToken ct)
    {
        var now = Now;
        var change = tracker.Disconnected(connectionId, now);
        await sessions.Close(connectionId, now, ct);
        if (change is { } c)
        {
            await AnnouncePresence.Execute(db, hub, c, ct);
        }
    }

    /// <summary>Connections silent past the timeout stop counting; a later heartbeat brings them back.</summary>
    public async Task ExpireSilent(CancellationToken ct)
    {
        var (stale, changes) = tracker.Expire(Now, options.Value.Timeout);
        if (stale.Count == 0)
        {
            return;
        }
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        await db.SocketSessions.Where(s => stale.Contains(s.SocketId))
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.IsOnline, false), ct);
        foreach (var change in changes)
        {
            await AnnouncePresence.Execute(db, hub, change, ct);
        }
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;
}
