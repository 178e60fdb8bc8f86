using DriverOffers.Server.Hosting;

namespace DriverOffers.Server.Data;

public enum DatabaseProvider { Sqlite, MySql, Postgres }

/// <summary>Configuration section <c>Database</c> (env: <c>Database__Provider</c>, <c>Database__ConnectionString</c>, …).</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary><c>sqlite</c> (default), <c>mysql</c> (MySQL/MariaDB, also <c>mariadb</c>) or <c>postgres</c> (also <c>postgresql</c>).</summary>
    public string Provider { get; set; } = "sqlite";
    public string ConnectionString { get; set; } = "Data Source=data/driver-offers.db";
    /// <summary><c>standalone</c>: creates users/Trucks and (with Demo) fills demo data. <c>attach</c>: reads an existing dispatch database's users/Trucks and never writes them.</summary>
    public string Mode { get; set; } = "standalone";
    /// <summary>Apply pending migrations at start-up. Turn off to run them separately (<c>--migrate-only</c>).</summary>
    public bool MigrateOnStartup { get; set; } = true;
    /// <summary>Fill demo data when the database is empty (standalone mode only).</summary>
    public bool Demo { get; set; } = true;

    public bool IsAttach => Mode.ToLowerInvariant() switch
    {
        "attach" => true,
        "standalone" => false,
        _ => throw new StartupException($"Database:Mode '{Mode}' is not supported; use standalone or attach."),
    };

    public DatabaseProvider ProviderKind => Provider.ToLowerInvariant() switch
    {
        "sqlite" => DatabaseProvider.Sqlite,
        "mysql" or "mariadb" => DatabaseProvider.MySql,
        "postgres" or "postgresql" or "npgsql" => DatabaseProvider.Postgres,
        _ => throw new StartupException($"Database:Provider '{Provider}' is not supported; use sqlite, mysql (MySQL/MariaDB) or postgres."),
    };
}
