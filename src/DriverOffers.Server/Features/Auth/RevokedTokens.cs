using System.Collections.Concurrent;
using DriverOffers.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace DriverOffers.Server.Features.Auth;

/// <summary>
/// The tokens signed out before they expired, as a set in memory: every request and hub connect asks, so it costs a
/// lookup, not a query (the same reason as <see cref="ActiveAccounts"/>' snapshot). A sign-out adds to this server's set
/// at once and stores the id in <c>revoked_tokens</c>; the other servers sharing the database see it within
/// <c>Auth:SignOutCheckSeconds</c> (<see cref="SignOutWatch"/>), and with <see cref="ActiveAccounts"/>' refresh (every
/// <c>Auth:AccountRefreshSeconds</c>) when their clocks differ by more than the quick look's overlap. Ids leave the set
/// and the table once their token has expired.
/// </summary>
public sealed class RevokedTokens(TimeProvider clock)
{
    /// <summary>Another server's sign-out is read back this far before the last look: its clock may run behind ours,
    /// and its row may commit after a look that started before.</summary>
    private static readonly TimeSpan Overlap = TimeSpan.FromMinutes(5);

    /// <summary>The quick look (<see cref="ReadNew"/>) reads back only this far: it runs every couple of seconds, and a row
    /// written by a server whose clock is further behind is found by <see cref="Reload"/>'s five minutes.</summary>
    private static readonly TimeSpan QuickOverlap = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, DateTime> _revoked = new(StringComparer.Ordinal);
    private DateTime? _lastLook;
    private DateTime? _lastQuickLook;

    public bool IsRevoked(string? tokenId) => tokenId is not null && _revoked.ContainsKey(tokenId);

    /// <summary>Another server's sign-out, heard on Redis (<see cref="SignOutNotices"/>): refused here from now on.</summary>
    public void Heard(string tokenId, DateTime expiresAt) => _revoked[tokenId] = expiresAt;

    /// <summary>Refuses the token from now on, here at once, on the other servers from their next refresh.</summary>
    public async Task Revoke(AppDb db, string tokenId, DateTime expiresAt, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        _revoked[tokenId] = expiresAt;
        if (!await db.RevokedTokens.AnyAsync(r => r.Id == tokenId, ct))
        {
            db.RevokedTokens.Add(RevokedToken.Create(tokenId, expiresAt, now));
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
            {
                // Signed out twice at once (two tabs): the other one stored it.
            }
        }
        // The clean-up rides on sign-outs: the table only grows through them. Loaded and removed rather than a bulk
        // DELETE, which Oracle's MySQL provider writes with a table alias MariaDB refuses; a batch keeps each one short.
        var expired = await db.RevokedTokens.Where(r => r.ExpiresAt < now).Take(500).ToListAsync(ct);
        if (expired.Count > 0)
        {
            db.RevokedTokens.RemoveRange(expired);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                // Another server's sign-out deleted some of them first.
            }
        }
    }

    /// <summary>
    /// The tokens revoked (on any server) since the last quick look and not known here yet. The first look reads every
    /// unexpired one; after it, the rows of the last few seconds through the <c>revoked_at</c> index: nearly always none.
    /// </summary>
    public async Task<List<string>> ReadNew(AppDb db, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var query = db.RevokedTokens.AsNoTracking();
        if (_lastQuickLook is { } last)
        {
            var since = last - QuickOverlap;
            query = query.Where(r => r.RevokedAt >= since);
        }
        var rows = await query.Select(r => new { r.Id, r.ExpiresAt }).ToListAsync(ct);
        _lastQuickLook = now;
        return [.. rows.Where(r => r.ExpiresAt > now && _revoked.TryAdd(r.Id, r.ExpiresAt)).Select(r => r.Id)];
    }

    /// <summary>Adds what was revoked (on any server) since the last look, and forgets the expired.</summary>
    public async Task Reload(AppDb db, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var query = db.RevokedTokens.AsNoTracking().Where(r => r.ExpiresAt > now);
        if (_lastLook is { } last)
        {
            var since = last - Overlap;
            query = query.Where(r => r.RevokedAt >= since);
        }
        foreach (var row in await query.Select(r => new { r.Id, r.ExpiresAt }).ToListAsync(ct))
        {
            _revoked[row.Id] = row.ExpiresAt;
        }
        _lastLook = now;
        foreach (var (id, expiresAt) in _revoked)
        {
            if (expiresAt <= now)
            {
                _revoked.TryRemove(id, out _);
            }
        }
    }
}
