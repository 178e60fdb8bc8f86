namespace DriverOffers.Server.Data;

/// <summary>
/// Which database the server uses, as the start-up line and start-up errors name it: provider, where, which database
/// and user. Never the password or anything else from the connection string.
/// </summary>
public sealed record DatabaseTarget(DatabaseProvider Provider, string Mode, string Where, bool DemoLogins)
{
    public override string ToString() => Provider switch
    {
        DatabaseProvider.Sqlite => $"SQLite database {Where}",
        DatabaseProvider.MySql => $"MySQL/MariaDB database {Where}",
        _ => $"PostgreSQL database {Where}",
    };

    internal static string Server(string? host, int port, string? database, string? user) =>
        $"'{database}' on {(string.IsNullOrEmpty(host) ? "(no host)" : host)}:{port}{(string.IsNullOrEmpty(user) ? "" : $" as '{user}'")}";
}
