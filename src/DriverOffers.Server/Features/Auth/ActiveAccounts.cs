using DriverOffers.Server.Common;
using DriverOffers.Server.Data;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DriverOffers.Server.Features.Auth;

/// <summary>
/// Whether the account behind a valid token may still use it, and with which role: the legacy system owns
/// <c>users</c> and <c>Trucks</c>, and a dispatcher it disables (or a truck it takes out of the fleet), or a row it
/// deletes, must lose access then, not when a 12-hour or 7-day token runs out. The role is the one in <c>users</c> now,
/// not the one at sign-in. Read from a snapshot of every user's role (null when disabled) and name, and every truck's id
/// and whether it is active, taken again every <c>Auth:AccountRefreshSeconds</c>
/// in the background, so a request costs a lookup, not a query (hub reconnect surges are thousands of them).
/// <para>
/// A hub connection is authorized once, when it opens, and then receives events for hours: the connections of an account
/// found disabled, removed, or whose role changed, are closed when the snapshot shows it. A client reconnects at once; a
/// disabled account's token is then refused, a changed role joins the groups of its new role. So are the connections
/// of a token signed out (<see cref="RevokedTokens"/>): at once on the server that took the sign-out, with the next
/// snapshot on the others.
/// </para>
/// </summary>
public sealed class ActiveAccounts(IServiceScopeFactory scopes, TimeProvider clock, IOptions<AuthOptions> options, RevokedTokens revoked,
    ILogger<ActiveAccounts> log)
    : BackgroundService
{
    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private volatile Snapshot? _snapshot;
    private int _inBackground;

    /// <summary>This server's open hub connections; each is checked against every new snapshot.</summary>
    private readonly HashSet<HubCallerContext> _connections = [];
    private readonly Lock _connectionsLock = new();

    /// <summary><see cref="Users"/>: every user's role (null for a disabled one) and name; <see cref="Trucks"/>: every
    /// truck's id, <see cref="InactiveTrucks"/> those taken out of the fleet. An account in neither was created since the
    /// snapshot was taken (it is asked for directly) or removed from its table (refused).</summary>
    private sealed record Snapshot(IReadOnlyDictionary<int, Account> Users, IReadOnlySet<int> Trucks, IReadOnlySet<int> InactiveTrucks, long TakenAt);

    /// <summary>A <c>users</c> row as the snapshot keeps it.</summary>
    private sealed record Account(string? Role, string Name);

    /// <summary>
    /// The dispatcher <paramref name="userId"/> as <c>users</c> has them now (within the refresh interval), or null if
    /// disabled, removed or not a dispatcher role. For tokens that carry only a user id: the legacy system's.
    /// </summary>
    public async ValueTask<Caller?> User(int userId, CancellationToken ct)
    {
        var snapshot = await Fresh(ct);
        var account = snapshot.Users.TryGetValue(userId, out var known) ? known : await NewUser(snapshot, userId, ct);
        return account is { Role: var role } && Caller.KnownRole(role) is { } current and not Caller.DriverRole
            ? new Caller(userId, current, account.Name)
            : null;
    }

    /// <summary>The caller as the database has them now (within the refresh interval), or null if their account was
    /// disabled or removed.</summary>
    public async ValueTask<Caller?> Current(Caller caller, CancellationToken ct)
    {
        if (caller.IsDriver)
        {
            var snapshot = await Fresh(ct);
            // A truck removed from the legacy table is as gone as one taken out of the fleet (its 7-day token kept
            // working before); one not in the snapshot may also be new, so it is asked for.
            return snapshot.InactiveTrucks.Contains(caller.Id) ? null
                : snapshot.Trucks.Contains(caller.Id) || await NewTruck(snapshot, caller.Id, ct) ? caller
                : null;
        }
        // The token's name stays: it is the one the caller signed in with.
        var current = (await User(caller.Id, ct))?.Role;
        return current is null ? null : current == caller.Role ? caller : caller with { Role = current };
    }

    /// <summary>Whether the token <paramref name="tokenId"/> was signed out (here, or on another server before the last refresh).</summary>
    public bool IsSignedOut(string? tokenId) => revoked.IsRevoked(tokenId);

    /// <summary>Closes this server's hub connections opened with a token just signed out.</summary>
    public void CloseSignedOut(string tokenId)
    {
        List<HubCallerContext> closing;
        lock (_connectionsLock)
        {
            closing = [.. _connections.Where(c => CallerIdentity.TokenIdOf(c.User) == tokenId)];
        }
        foreach (var connection in closing)
        {
            connection.Abort();
        }
    }

    private async ValueTask<Snapshot> Fresh(CancellationToken ct)
    {
        var snapshot = _snapshot ?? await Refresh(ct);
        if (clock.GetElapsedTime(snapshot.TakenAt) > RefreshEvery)
        {
            _ = RefreshInBackground();
        }
        return snapshot;
    }

    /// <summary>A user created since the snapshot (they just signed in), or removed: asked directly.</summary>
    private async Task<Account?> NewUser(Snapshot snapshot, int userId, CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        var account = await db.Users.AsNoTracking().Where(u => u.Id == userId && u.IsActive)
            .Select(u => new Account(u.Role, u.FullName)).FirstOrDefaultAsync(ct);
        // Into the snapshot soon, but one re-read for a burst of new users (a shift signing in) rather than one each.
        if (account is not null && clock.GetElapsedTime(snapshot.TakenAt) > TimeSpan.FromSeconds(1))
        {
            _ = RefreshInBackground();
        }
        return account;
    }

    /// <summary>A truck added since the snapshot (its driver just signed in), or removed: asked directly.</summary>
    private async Task<bool> NewTruck(Snapshot snapshot, int truckId, CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        var active = await db.Trucks.AsNoTracking().AnyAsync(t => t.Id == truckId && t.IsActive, ct);
        if (active && clock.GetElapsedTime(snapshot.TakenAt) > TimeSpan.FromSeconds(1))
        {
            _ = RefreshInBackground();
        }
        return active;
    }

    private TimeSpan RefreshEvery => TimeSpan.FromSeconds(Math.Max(1, options.Value.AccountRefreshSeconds));

    public override void Dispose()
    {
        base.Dispose();
        _refreshing.Dispose();
    }

    /// <summary>Requests re-read the snapshot when it is stale; this does it for open connections when no request comes.</summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var every = RefreshEvery;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(every, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            bool any;
            lock (_connectionsLock)
            {
                any = _connections.Count > 0;
            }
            if (any && clock.GetElapsedTime(_snapshot?.TakenAt ?? 0) >= every)
            {
                await RefreshInBackground();
            }
        }
    }

    /// <summary>A hub connection of <paramref name="caller"/> opened; it is closed if the account is disabled later
    /// (or was, in the snapshot taken since its token was checked).</summary>
    public void Connected(Caller caller, HubCallerContext connection)
    {
        lock (_connectionsLock)
        {
            _connections.Add(connection);
        }
        // After registering: a refresh that closed this account's connections before it was registered set the snapshot
        // first, so it is seen here.
        if ((_snapshot is { } snapshot && Changed(snapshot, caller, removedToo: false)) || revoked.IsRevoked(CallerIdentity.TokenIdOf(connection.User)))
        {
            connection.Abort();
        }
    }

    public void Disconnected(HubCallerContext connection)
    {
        lock (_connectionsLock)
        {
            _connections.Remove(connection);
        }
    }

    /// <summary>Whether <paramref name="caller"/>, as their connection was authorized, is no longer what the snapshot says:
    /// disabled, given another role, or (<paramref name="removedToo"/>, for a snapshot taken after the connection was
    /// authorized) no longer in their table at all. A connection just authorized for an account created since the
    /// snapshot is not in it either, so that last test waits for a fresh one.</summary>
    private static bool Changed(Snapshot snapshot, Caller caller, bool removedToo) => caller.IsDriver
        ? snapshot.InactiveTrucks.Contains(caller.Id) || (removedToo && !snapshot.Trucks.Contains(caller.Id))
        : snapshot.Users.TryGetValue(caller.Id, out var account) ? account.Role != caller.Role : removedToo;

    /// <summary>Closes this server's connections of accounts the new snapshot disables or gives another role.</summary>
    private void CloseChanged(Snapshot fresh)
    {
        List<HubCallerContext> closing;
        lock (_connectionsLock)
        {
            closing = [.. _connections.Where(c => Caller.From(c.User) is { } caller
                && (Changed(fresh, caller, removedToo: true) || revoked.IsRevoked(CallerIdentity.TokenIdOf(c.User))))];
        }
        foreach (var connection in closing)
        {
            connection.Abort();
        }
        if (closing.Count > 0 && log.IsEnabled(LogLevel.Information))
        {
            log.LogInformation("Closed {Count} hub connections of accounts disabled or given another role, or of tokens signed out", closing.Count);
        }
    }

    private readonly FailureStreak _refreshFailures = new(log, "Re-reading which accounts are active");

    private async Task RefreshInBackground()
    {
        if (Interlocked.Exchange(ref _inBackground, 1) == 1)
        {
            return;
        }
        try
        {
            await Refresh(CancellationToken.None);
            _refreshFailures.Succeeded();
        }
        catch (Exception e) when (e is not ObjectDisposedException)
        {
            // The previous snapshot stays in use; the next request tries again.
            _refreshFailures.Failed(e);
        }
        finally
        {
            Volatile.Write(ref _inBackground, 0);
        }
    }

    private async Task<Snapshot> Refresh(CancellationToken ct)
    {
        var before = _snapshot;
        await _refreshing.WaitAsync(ct);
        try
        {
            // Another caller refreshed while this one waited.
            if (_snapshot is { } current && !ReferenceEquals(current, before))
            {
                return current;
            }
            var takenAt = clock.GetTimestamp();
            using var scope = scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDb>();
            var users = await db.Users.AsNoTracking().Select(u => new { u.Id, u.Role, u.IsActive, u.FullName })
                .ToDictionaryAsync(u => u.Id, u => new Account(u.IsActive ? u.Role : null, u.FullName), ct);
            var trucks = await db.Trucks.AsNoTracking().Select(t => new { t.Id, t.IsActive }).ToListAsync(ct);
            await revoked.Reload(db, ct);
            var fresh = new Snapshot(users, trucks.Select(t => t.Id).ToHashSet(), trucks.Where(t => !t.IsActive).Select(t => t.Id).ToHashSet(), takenAt);
            _snapshot = fresh;
            CloseChanged(fresh);
            return fresh;
        }
        finally
        {
            _refreshing.Release();
        }
    }
}
