using MySql.Data.MySqlClient;
using Npgsql;

namespace DriverOffers.Tests.Infrastructure;

/// <summary>Which database the integration suite runs on: <c>DRIVER_OFFERS_TEST_DB=sqlite|mariadb|postgres</c> (default sqlite).</summary>
public enum TestDbKind { Sqlite, MariaDb, Postgres }

/// <summary>
/// A fresh, empty database for one test class: a SQLite file, or a new database on the run's shared MariaDB or
/// PostgreSQL server. Dropped again when the class is done.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string EnvironmentVariable = "DRIVER_OFFERS_TEST_DB";

    private readonly Func<Task> _drop;

    private TestDatabase(TestDbKind kind, string provider, string connectionString, string name, Func<Task> drop)
    {
        Kind = kind;
        Provider = provider;
        ConnectionString = connectionString;
        Name = name;
        _drop = drop;
    }

    public TestDbKind Kind { get; }
    /// <summary>The server's <c>Database:Provider</c> value.</summary>
    public string Provider { get; }
    public string ConnectionString { get; }
    public string Name { get; }

    public static TestDbKind Selected => (Environment.GetEnvironmentVariable(EnvironmentVariable) ?? "sqlite").ToLowerInvariant() switch
    {
        "" or "sqlite" => TestDbKind.Sqlite,
        "mariadb" or "mysql" => TestDbKind.MariaDb,
        "postgres" or "postgresql" => TestDbKind.Postgres,
        var other => throw new InvalidOperationException($"{EnvironmentVariable}='{other}': use sqlite, mariadb or postgres."),
    };

    public static async Task<TestDatabase> CreateAsync(TestDbKind kind, string dir)
    {
        var name = $"driver_offers_{Guid.NewGuid():N}"[..30];
        switch (kind)
        {
            case TestDbKind.Sqlite:
                var file = Path.Combine(dir, "test.db");
                return new TestDatabase(kind, "sqlite", $"Data Source={file}", name, () =>
                {
                    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                    return Task.CompletedTask;
                });
            case TestDbKind.MariaDb:
                var maria = await MariaDbServer.Instance;
                await maria.ExecuteAsync($"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
                var mysqlCs = maria.ConnectionString(name);
                return new TestDatabase(kind, "mysql", mysqlCs, name, async () =>
                {
                    using (var c = new MySqlConnection(mysqlCs))
                    {
                        MySqlConnection.ClearPool(c);
                    }
                    await maria.DropDatabaseAsync(name);
                });
            case TestDbKind.Postgres:
                var pg = await PostgresServer.Instance;
                await pg.ExecuteAsync($"CREATE DATABASE \"{name}\"");
                var pgCs = pg.ConnectionString(name);
                return new TestDatabase(kind, "postgres", pgCs, name, async () =>
                {
                    using (var c = new NpgsqlConnection(pgCs))
                    {
                        NpgsqlConnection.ClearPool(c);
                    }
                    await pg.ExecuteAsync($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
                });
            default:
                throw new ArgumentOutOfRangeException(nameof(kind));
        }
    }

    public async ValueTask DisposeAsync() => await _drop();
}
