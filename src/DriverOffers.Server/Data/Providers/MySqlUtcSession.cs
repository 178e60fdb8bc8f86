using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace DriverOffers.Server.Data.Providers;

/// <summary>
/// MySQL converts TIMESTAMP columns (the legacy <c>users.created_at</c>, <c>Trucks.updated_at</c>) to the session time
/// zone on read. Every timestamp in this product is UTC, so each connection's session is set to UTC.
/// </summary>
internal sealed class MySqlUtcSession : DbConnectionInterceptor
{
    public static readonly MySqlUtcSession Instance = new();
    private const string Sql = "SET time_zone = '+00:00'";

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
