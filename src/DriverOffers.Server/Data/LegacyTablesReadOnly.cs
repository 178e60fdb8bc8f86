using DriverOffers.Server.Features.Auth;
using DriverOffers.Server.Features.Drivers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace DriverOffers.Server.Data;

/// <summary>
/// Attach mode's safety net: <c>users</c> and <c>Trucks</c> belong to the live dispatch system, so a save that would
/// insert, change or delete one of their rows fails before any SQL is sent.
/// </summary>
internal sealed class LegacyTablesReadOnly : SaveChangesInterceptor
{
    public static readonly LegacyTablesReadOnly Instance = new();

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Check(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Check(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private static void Check(DbContext? db)
    {
        var touched = db?.ChangeTracker.Entries()
            .FirstOrDefault(e => e.Entity is User or Truck && e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted);
        if (touched is not null)
        {
            throw new InvalidOperationException(
                $"Attach mode never writes the dispatch system's tables; refused to save a {touched.State} {touched.Entity.GetType().Name}.");
        }
    }
}
