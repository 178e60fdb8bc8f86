using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace DriverOffers.Server.Data.Providers;

/// <summary>
/// SQLite has one writer at a time; the chat writer, the socket-session writer and REST writes take turns. Without a
/// busy timeout SQLite answers "busy" at once and Microsoft.Data.Sqlite retries after sleeping 150 ms, so a chat
/// commit that met a heartbeat batch waited 150 ms for a lock held for a millisecond (the chat tail while 10,000
/// connections heartbeat). With <c>busy_timeout</c> SQLite itself waits, polling from 1 ms up; the overall limit
/// stays the command timeout.
/// </summary>
internal sealed class SqliteBusyWait : DbConnectionInterceptor
{
    public static readonly SqliteBusyWait Instance = new();
    private const string Sql = "PRAGMA busy_timeout = 30000";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Sql;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
