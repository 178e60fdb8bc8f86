using Microsoft.EntityFrameworkCore.Storage;

namespace DriverOffers.Server.Data;

/// <summary>
/// An offer's lock as <see cref="AppDb.LockOffer"/> took it: the transaction to commit, or to give up before a refusal.
/// Disposing it without either rolls back, as disposing any transaction does.
/// </summary>
public sealed class OfferLock(AppDb db, IDbContextTransaction tx) : IAsyncDisposable
{
    public Task CommitAsync(CancellationToken ct = default) => tx.CommitAsync(ct);

    /// <summary>
    /// Rolls back now rather than at dispose, so the next writer in the offer's queue need not wait while the refusal is
    /// built, and forgets what was read under the lock: the current state a refusal carries, or the attempt a retry
    /// makes, is read afresh instead of from entities this attempt read or changed.
    /// </summary>
    public async Task Abandon(CancellationToken ct)
    {
        await tx.RollbackAsync(ct);
        db.ChangeTracker.Clear();
    }

    public ValueTask DisposeAsync() => tx.DisposeAsync();
}
