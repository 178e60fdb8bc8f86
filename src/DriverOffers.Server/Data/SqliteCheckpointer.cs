using DriverOffers.Server.Common;
using Microsoft.EntityFrameworkCore;

namespace DriverOffers.Server.Data;

/// <summary>
/// Moves SQLite's write-ahead log into the database file in the background. By default the commit that grows the
/// log past 1,000 pages does that work itself — copying the pages and syncing the database file — so every few
/// hundred chat messages one sender waited tens of milliseconds. The chat writer turns that off on its connection
/// (<c>wal_autocheckpoint=0</c>) and this task checkpoints instead, PASSIVE: it never blocks a writer or a reader.
/// </summary>
public sealed class SqliteCheckpointer(IServiceScopeFactory scopes, ILogger<SqliteCheckpointer> log) : BackgroundService
{
    /// <summary>Often enough that the log stays small (a short checkpoint each time), rarely enough to cost nothing when idle.</summary>
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        var failures = new FailureStreak(log, "WAL checkpoint");
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        if (!db.Database.IsSqlite())
        {
            return;
        }
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(PASSIVE);", stoppingToken);
                    failures.Succeeded();
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A skipped checkpoint only leaves the log longer until the next one.
                    failures.Failed(e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
