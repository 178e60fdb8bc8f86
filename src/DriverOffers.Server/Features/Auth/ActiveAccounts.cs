using DriverOffers.Server.Common;
using DriverOffers.Server.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DriverOffers.Server.Features.Auth;

/// <summary>
/// Whether the account behind a valid token may still use it, and with which role: the legacy system owns
/// <c>users</c> and <c>Trucks</c>, and a dispatcher it disables (or a truck it takes out of the fleet) must lose access
/// then, not when a 12-hour or 7-day token runs out. The role is the one in <c>users</c> now, not the one at sign-in.
/// Read from a snapshot of the active users and the inactive trucks, taken again every <c>Auth:AccountRefreshSeconds</c>
/// in the background, so a request costs a lookup, not a query (hub reconnect surges are thousands of them).
/// </summary>
public sealed class ActiveAccounts(IServiceScopeFactory scopes, TimeProvider clock, IOptions<AuthOptions> options, ILogger<ActiveAccounts> log) : IDisposable
{
    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private volatile Snapshot? _snapshot;
    private int _inBackground;

    private sealed record Snapshot(IReadOnlyDictionary<int, string> UserRoles, IReadOnlySet<int> InactiveTrucks, long TakenAt);

    /// <summary>The caller as the database has them now (within the refresh interval), or null if their account was
    /// disabled or removed.</summary>
    public async ValueTask<Caller?> Current(Caller caller, CancellationToken ct)
    {
        var snapshot = _snapshot ?? await Refresh(ct);
        if (clock.GetElapsedTime(snapshot.TakenAt) > TimeSpan.FromSeconds(Math.Max(0, options.Value.AccountRefreshSeconds)))
        {
            _ = RefreshInBackground();
        }
        if (caller.IsDriver)
        {
            return snapshot.InactiveTrucks.Contains(caller.Id) ? null : caller;
        }
        if (!snapshot.UserRoles.TryGetValue(caller.Id, out var role))
        {
            // Created since the snapshot (they just signed in), or disabled or removed: asked directly.
            role = await RoleOf(caller.Id, ct);
            // Into the snapshot soon, but one re-read for a burst of new users (a shift signing in) rather than one each.
            if (role is not null && clock.GetElapsedTime(snapshot.TakenAt) > TimeSpan.FromSeconds(1))
            {
                _ = RefreshInBackground();
            }
        }
        // The role as the constant: a hub connection keeps its caller as long as it is open.
        var current = role switch
        {
            User.Dispatcher => User.Dispatcher,
            User.Manager => User.Manager,
            User.Admin => User.Admin,
            _ => null,
        };
        return current is null ? null : current == caller.Role ? caller : caller with { Role = current };
    }

    public void Dispose() => _refreshing.Dispose();

    private async Task<string?> RoleOf(int userId, CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        return await db.Users.AsNoTracking().Where(u => u.Id == userId && u.IsActive).Select(u => u.Role).FirstOrDefaultAsync(ct);
    }

    private async Task RefreshInBackground()
    {
        if (Interlocked.Exchange(ref _inBackground, 1) == 1)
        {
            return;
        }
        try
        {
            await Refresh(CancellationToken.None);
        }
        catch (Exception e) when (e is not ObjectDisposedException)
        {
            // The previous snapshot stays in use; the next request tries again.
            log.LogWarning(e, "Could not re-read which accounts are active");
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
            var roles = await db.Users.AsNoTracking().Where(u => u.IsActive).Select(u => new { u.Id, u.Role }).ToDictionaryAsync(u => u.Id, u => u.Role, ct);
            var inactive = await db.Trucks.AsNoTracking().Where(t => !t.IsActive).Select(t => t.Id).ToListAsync(ct);
            var fresh = new Snapshot(roles, inactive.ToHashSet(), takenAt);
            _snapshot = fresh;
            return fresh;
        }
        finally
        {
            _refreshing.Release();
        }
    }
}
