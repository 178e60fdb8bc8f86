using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using MySql.Data.MySqlClient;
using Npgsql;

namespace DriverOffers.Server.Data;

/// <summary>What a failed save means, the same way on every provider, for use cases that treat a race as an answer.</summary>
public static class DbErrors
{
    /// <summary>A unique index (or primary key) refused the row: someone else stored the same thing first.</summary>
    public static bool IsUniqueViolation(DbUpdateException e) => e.InnerException switch
    {
        // SQLITE_CONSTRAINT_UNIQUE (2067) / SQLITE_CONSTRAINT_PRIMARYKEY (1555); both are SQLITE_CONSTRAINT (19).
        SqliteException s => s.SqliteErrorCode == 19 && s.SqliteExtendedErrorCode is 2067 or 1555,
        // ER_DUP_ENTRY
        MySqlException m => m.Number == 1062,
        PostgresException p => p.SqlState == PostgresErrorCodes.UniqueViolation,
        _ => false,
    };

    /// <summary>The database gave up on this transaction because of a concurrent one (deadlock, serialization
    /// failure, busy/locked); running it again on fresh state is the cure.</summary>
    public static bool IsTransientConflict(DbUpdateException e) => e is DbUpdateConcurrencyException || IsTransientProviderError(e.InnerException);

    /// <summary>As above for any failure: set-based statements (<c>ExecuteUpdate</c>, raw SQL) throw the provider's
    /// exception itself rather than a <see cref="DbUpdateException"/>.</summary>
    public static bool IsTransientConflict(Exception e) =>
        e is DbUpdateException u ? IsTransientConflict(u) : IsTransientProviderError(e);

    private static bool IsTransientProviderError(Exception? e) => e switch
    {
        // SQLITE_BUSY / SQLITE_LOCKED
        SqliteException s => s.SqliteErrorCode is 5 or 6,
        // ER_LOCK_DEADLOCK / ER_LOCK_WAIT_TIMEOUT
        MySqlException m => m.Number is 1213 or 1205,
        PostgresException p => p.SqlState is PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected,
        _ => false,
    };
}
