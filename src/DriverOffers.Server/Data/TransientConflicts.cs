namespace DriverOffers.Server.Data;

/// <summary>
/// Runs a database step again when it lost to a concurrent transaction (<see cref="DbErrors.IsTransientConflict(Exception)"/>):
/// the database rolled the loser back whole, so the step runs on fresh state. For steps outside a use case's
/// <c>Outcome.RetryOnConcurrency</c> — set-based statements and background loops — that another request, loop or server
/// can deadlock with on MariaDB (or serialize against on PostgreSQL); the loser must not reach its caller as an error.
/// </summary>
public static class TransientConflicts
{
    public const int Attempts = 5;

    /// <summary>The step must be safe to run again: a statement of its own (autocommit) or a whole transaction.
    /// <paramref name="beforeRetry"/> hears each lost try, e.g. to drop state the step keeps between tries.</summary>
    public static async Task<T> Retry<T>(Func<Task<T>> step, CancellationToken ct, int attempts = Attempts, Action<Exception>? beforeRetry = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await step();
            }
            catch (Exception e) when (attempt < attempts && DbErrors.IsTransientConflict(e))
            {
                beforeRetry?.Invoke(e);
                // Jitter, so two losers of one deadlock don't meet again at once.
                await Task.Delay(Random.Shared.Next(1, 10 * attempt), ct);
            }
        }
    }

    public static Task Retry(Func<Task> step, CancellationToken ct, int attempts = Attempts) =>
        Retry(async () =>
        {
            await step();
            return true;
        }, ct, attempts);
}
