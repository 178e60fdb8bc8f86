using DriverOffers.Server.Data.Providers;
using DriverOffers.Server.Features.Presence;
using DriverOffers.Server.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using MySql.Data.MySqlClient;
using Npgsql;

namespace DriverOffers.Server.Data;

public static class DatabaseSetup
{
    private const int ContextPoolSize = 128;

    public static IServiceCollection AddDatabase(this IServiceCollection services, IConfiguration config, IHostEnvironment env)
    {
        var options = config.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        var kind = options.ProviderKind;
        var attach = options.IsAttach;
        if (kind != DatabaseProvider.Sqlite && string.IsNullOrWhiteSpace(config[$"{DatabaseOptions.Section}:ConnectionString"]))
        {
            // The default is a SQLite file name, which MySQL would take for a host name ("Data Source" = "Server").
            throw new StartupException($"Database:ConnectionString is not set; Database:Provider={options.Provider} needs one, e.g. " +
                (kind == DatabaseProvider.MySql ? "Server=db;Port=3306;Database=dispatch;User ID=offers;Password=…" : "Host=db;Port=5432;Database=offers;Username=offers;Password=…") + ".");
        }
        services.AddSingleton(options);
        try
        {
            AddContext(services, options, kind, env);
            services.AddSingleton(new DatabaseTarget(kind, attach ? "attach" : "standalone", Where(kind, options.ConnectionString, env), !attach && options.Demo));
        }
        catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException or InvalidCastException)
        {
            // The connection string builders name the keyword or value they refused (never echoing the rest of the string).
            throw new StartupException($"Database:ConnectionString is not a valid {options.Provider} connection string: {e.Message}", e);
        }
        return services;
    }

    private static void AddContext(IServiceCollection services, DatabaseOptions options, DatabaseProvider kind, IHostEnvironment env)
    {
        // Pooled (decision 074): every hub call, a heartbeat too, gets a scope and an AppDb; unpooled, each rebuilt EF's
        // options, two thirds of all bytes allocated while 10,000 connections heartbeat (decision 073).
        // Every provider maps the same model (AppDb); the subclass only selects that provider's migration set.
        // The pool keeps every context ever returned to it, up to its size, for the life of the process (each with its
        // connection object and EF's internal services, ~20 KB): sized for the contexts two cores can keep busy at
        // once, not for a burst; past it a context is built from the shared options and dropped after use.
        switch (kind)
        {
            case DatabaseProvider.Sqlite:
                services.AddDbContextPool<AppDb, SqliteAppDb>(db => Configure(db, options)
                    .UseSqlite(SqliteConnectionString(options.ConnectionString, env), o => o.CommandTimeout(30))
                    .AddInterceptors(SessionStatement.SqliteBusyWait), ContextPoolSize);
                services.AddHostedService<SqliteCheckpointer>();
                break;
            case DatabaseProvider.MySql:
                var (gate, mySql) = MySqlConnectionGate.For(MySqlConnectionString(options.ConnectionString));
                services.AddDbContextPool<AppDb, MySqlAppDb>(db => Configure(db, options)
                    .UseMySQL(mySql, o => o.CommandTimeout(30))
                    .ReplaceService<IHistoryRepository, MySqlHistoryRepository>()
                    .AddInterceptors(gate is null ? [SessionStatement.MySqlUtc] : [gate, SessionStatement.MySqlUtc]), ContextPoolSize);
                break;
            case DatabaseProvider.Postgres:
                services.AddDbContextPool<AppDb, PostgresAppDb>(db => Configure(db, options)
                    .UseNpgsql(new NpgsqlConnectionStringBuilder(options.ConnectionString).ConnectionString, o => o.CommandTimeout(30)), ContextPoolSize);
                break;
        }
    }

    /// <summary>The file, or the server, database and user; never the password.</summary>
    private static string Where(DatabaseProvider kind, string connectionString, IHostEnvironment env) => kind switch
    {
        DatabaseProvider.Sqlite => new SqliteConnectionStringBuilder(SqliteConnectionString(connectionString, env, create: false)).DataSource,
        DatabaseProvider.MySql => new MySqlConnectionStringBuilder(connectionString) is var my
            ? DatabaseTarget.Server(my.Server, (int)my.Port, my.Database, my.UserID) : "",
        _ => new NpgsqlConnectionStringBuilder(connectionString) is var pg ? DatabaseTarget.Server(pg.Host, pg.Port, pg.Database, pg.Username) : "",
    };

    private static DbContextOptionsBuilder Configure(DbContextOptionsBuilder db, DatabaseOptions options)
    {
        // EF logs every failed query and save at Error with the whole stack trace, before the exception reaches the code
        // that ran it, which reports it itself (start-up in one line, requests and hub calls at Error, background loops
        // at Warning): a second stack trace for each, a screen of them at start-up for a legacy table that does not fit.
        // A connection that cannot be opened likewise: while the database is down, that was one Error per query, every
        // tick of every background loop, beside the loops' own summary (Common/FailureStreak).
        db.ConfigureWarnings(w => w.Log((CoreEventId.QueryIterationFailed, LogLevel.Debug), (CoreEventId.SaveChangesFailed, LogLevel.Debug),
            (RelationalEventId.ConnectionError, LogLevel.Debug)));
        return options.IsAttach ? db.AddInterceptors(LegacyTablesReadOnly.Instance) : db;
    }

    /// <summary>Relative SQLite paths are under the content root, so the file lands in <c>data/</c> wherever the process starts.</summary>
    private static string SqliteConnectionString(string raw, IHostEnvironment env, bool create = true)
    {
        var csb = new SqliteConnectionStringBuilder(raw);
        if (string.IsNullOrWhiteSpace(csb.DataSource))
        {
            throw new StartupException("Database:ConnectionString names no SQLite file; use e.g. \"Data Source=data/driver-offers.db\".");
        }
        if (!Path.IsPathRooted(csb.DataSource) && csb.DataSource != ":memory:")
        {
            csb.DataSource = Path.Combine(env.ContentRootPath, csb.DataSource);
        }
        var folder = Path.GetDirectoryName(csb.DataSource)!;
        try
        {
            if (create && folder.Length > 0)
            {
                Directory.CreateDirectory(folder);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StartupException($"Database:ConnectionString: the folder of the SQLite file, {folder}, cannot be created ({e.Message}). " +
                "Create it writable for this user, or point Data Source elsewhere.", e);
        }
        csb.Pooling = true;
        csb.DefaultTimeout = 30;
        return csb.ToString();
    }

    /// <summary>A legacy dispatch database may hold zero dates ('0000-00-00') that would otherwise fail every read.</summary>
    private static string MySqlConnectionString(string raw) =>
        new MySqlConnectionStringBuilder(raw) { ConvertZeroDateTime = true, CharacterSet = "utf8mb4" }.ConnectionString;

    /// <summary>
    /// Creates the legacy tables (standalone), applies migrations, fills demo data, clears stale presence.
    /// <paramref name="migrateOnly"/> (<c>--migrate-only</c>): the schema only, migrations whatever MigrateOnStartup says.
    /// </summary>
    public static async Task PrepareDatabaseAsync(this IServiceProvider services, bool migrateOnly = false, CancellationToken ct = default)
    {
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        var options = scope.ServiceProvider.GetRequiredService<DatabaseOptions>();
        var log = scope.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger("Database");

        if (db.Database.IsSqlite())
        {
            // WAL lets readers run beside the writer; synchronous=FULL keeps every commit durable.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        }
        if (options.MigrateOnStartup || migrateOnly)
        {
            // What migrating does first anyway. Npgsql finds out whether the history table exists by reading it, and EF
            // logs that failed read at Error: two error entries on every first start against an empty PostgreSQL database.
            await db.GetService<IHistoryRepository>().CreateIfNotExistsAsync(ct);
        }
        await RefuseNewerSchemaAsync(db, ct);
        if (options.IsAttach)
        {
            await LegacySchema.EnsureReadableAsync(db, ct);
        }
        else
        {
            await LegacySchema.EnsureCreatedAsync(db, ct);
        }
        if (options.MigrateOnStartup || migrateOnly)
        {
            // Each migration runs in its own transaction where the database can roll DDL back (SQLite, PostgreSQL);
            // MySQL commits DDL implicitly, hence the README's "back up before upgrading".
            await db.Database.MigrateAsync(ct);
        }
        else if ((await db.Database.GetPendingMigrationsAsync(ct)).Any())
        {
            throw new StartupException("Database:MigrateOnStartup is false and the database lacks this build's migrations: run the server with --migrate-only first, or set Database:MigrateOnStartup=true.");
        }
        if (migrateOnly)
        {
            log.LogInformation("Migrations applied; exiting (--migrate-only).");
            return;
        }
        if (!options.IsAttach && options.Demo)
        {
            await DemoData.SeedIfEmptyAsync(db, log, ct);
        }
        // No one stays "online" after a restart (with Redis, only this server's sessions count as left open).
        await scope.ServiceProvider.GetRequiredService<TrackPresence>().CloseSessionsLeftOpen(db, ct);
    }

    private static async Task RefuseNewerSchemaAsync(AppDb db, CancellationToken ct)
    {
        var applied = await db.Database.GetAppliedMigrationsAsync(ct);
        var known = db.Database.GetMigrations().ToHashSet();
        var unknown = applied.Where(m => !known.Contains(m)).ToList();
        if (unknown.Count > 0)
        {
            throw new StartupException(
                $"The database schema is newer than this build (unknown migrations: {string.Join(", ", unknown)}). " +
                "Upgrade the server instead of starting an older one.");
        }
    }
}
