using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace DriverOffers.Server.Data.Providers;

/// <summary>A statement every connection runs when it opens, to set up its session.</summary>
internal sealed class SessionStatement(string sql) : DbConnectionInterceptor
{
    /// <summary>
    /// MySQL converts TIMESTAMP columns (the legacy <c>users.created_at</c>, <c>Trucks.updated_at</c>) to the session
    /// time zone on read. Every timestamp in this product is UTC, so each connection's session is set to UTC.
    /// </summary>
    public static readonly SessionStatement MySqlUtc = new("SET time_zone = '+00:00'");

    /// <summary>
    /// SQLite has one writer at a time; the chat writer, the socket-session writer and REST writes take turns. Without a
    /// busy timeout SQLite answers "busy" at once and Microsoft.Data.Sqlite retries after sleeping 150 ms, so a chat
    /// commit that met a heartbeat batch waited 150 ms for a lock held for a millisecond (the chat tail while 10,000
    /// connections heartbeat). With <c>busy_timeout</c> SQLite itself waits, polling from 1 ms up; the overall limit
    /// stays the command timeout.
    /// </summary>
    /// <remarks>
    /// It also turns off the automatic checkpoint, as the chat writer does: the commit that grew the log past 1,000 pages
    /// copied the log into the database file itself, and a send to 1,000 drivers writes about that much, so most of
    /// them waited ~15 ms for it in their commit. <see cref="SqliteCheckpointer"/> does it in the background instead.
    /// </remarks>
    public static readonly SessionStatement SqliteBusyWait = new("PRAGMA busy_timeout = 30000; PRAGMA wal_autocheckpoint = 0");

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
