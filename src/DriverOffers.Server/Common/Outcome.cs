using DriverOffers.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace DriverOffers.Server.Common;

/// <summary>
/// What a shared use case's <c>Execute</c> returns, so REST and the hub can each map it their own way
/// (typed results / a return value or HubException). Each use case adds its own success record;
/// the refusals are common.
/// </summary>
public abstract record Outcome
{
    /// <summary>Bad input (400): field name → what is allowed. Nothing was changed.</summary>
    public sealed record Invalid(Dictionary<string, string[]> Errors) : Outcome
    {
        public Invalid(Validation v) : this(v.Errors) { }
        public Invalid(string field, string message) : this(new Dictionary<string, string[]> { [field] = [message] }) { }
    }

    /// <summary>Missing or not yours (404): deliberately the same answer for both.</summary>
    public sealed record NotFound : Outcome;

    /// <summary>The current state refuses the change (409); <c>Current</c> is that state as the caller may see it.</summary>
    public sealed record Conflict(string Detail, object? Current) : Outcome;

    /// <summary>The caller sends faster than <see cref="SendLimits"/> allows (429); nothing was done.</summary>
    public sealed record TooMany(string Detail, TimeSpan RetryAfter) : Outcome;

    /// <summary>
    /// Runs <paramref name="attempt"/>, re-running it on fresh state when it loses a race anyway: a deadlock, a
    /// serialization failure, SQLite busy, or a version bump by a writer that did not take the offer's lock first
    /// (<see cref="AppDb.LockOffer"/>; the use cases that change an offer do). The attempt itself re-checks the offer, so
    /// once the offer is booked or cancelled a retry ends as a <see cref="Conflict"/> instead of looping.
    /// </summary>
    /// <remarks>Attempts that lock the offer first queue on its lock rather than lose to each other, so a retry is rare;
    /// each one is logged at Debug (category <c>DriverOffers.Server.Common.Outcome</c>), which is how the tests count them.</remarks>
    public static async Task<Outcome> RetryOnConcurrency(AppDb db, Func<Task<Outcome>> attempt, CancellationToken ct, int maxAttempts = 10)
    {
        ILogger? log = null;
        for (var i = 1; ; i++)
        {
            try
            {
                return await attempt();
            }
            catch (DbUpdateException e) when (i < (DbErrors.IsTransientConflict(e) ? maxAttempts : 3))
            {
                // Lost races (a version bump, a MySQL deadlock, a PostgreSQL serialization failure) are retried on fresh
                // state; other update errors (a unique index hit by a parallel insert) get a couple of re-reads too.
                db.ChangeTracker.Clear();
                // Looked up at the first retry only: most calls never need it.
                log ??= RetryLog(db);
                if (log is not null && log.IsEnabled(LogLevel.Debug))
                {
                    log.LogDebug(e, "A write lost a race to another transaction; running it again (attempt {Attempt})", i + 1);
                }
                // Jitter spreads the retries of a burst of parallel responses.
                await Task.Delay(Random.Shared.Next(1, 10 + 5 * i), ct);
            }
        }
    }

    private static ILogger? RetryLog(AppDb db) =>
        db.ApplicationServices?.GetService<ILoggerFactory>()?.CreateLogger(typeof(Outcome).FullName!);
}
