using DriverOffers.Server.Data;
using Microsoft.Data.Sqlite;

namespace DriverOffers.Tests.Data;

/// <summary>The retry for database steps outside a use case (presence sweep, read marks, outbox delivery).</summary>
public sealed class TransientConflictsTests
{
    // SQLITE_BUSY as the provider throws it; MariaDB's deadlock and PostgreSQL's serialization failure can't be built.
    private static SqliteException Busy() => new("database is locked", 5, 5);

    [Fact]
    public async Task A_step_that_lost_to_a_concurrent_transaction_runs_again_and_its_answer_is_returned()
    {
        var runs = 0;
        var answer = await TransientConflicts.Retry(() => ++runs < 3 ? throw Busy() : Task.FromResult(runs), CancellationToken.None);
        Assert.Equal(3, answer);
    }

    [Fact]
    public async Task Any_other_failure_reaches_the_caller_at_once()
    {
        var runs = 0;
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            TransientConflicts.Retry(() => { runs++; throw new InvalidOperationException("no"); }, CancellationToken.None));
        Assert.Equal(1, runs);
    }

    [Fact]
    public async Task A_step_that_keeps_losing_fails_after_the_last_attempt()
    {
        var runs = 0;
        await Assert.ThrowsAsync<SqliteException>(() => TransientConflicts.Retry(() => { runs++; throw Busy(); }, CancellationToken.None));
        Assert.Equal(TransientConflicts.Attempts, runs);
    }
}
