using DriverOffers.Server.Features.Presence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace DriverOffers.Server.Data;

public static class DatabaseSetup
{
    public static IServiceCollection AddDatabase(this IServiceCollection services, IConfiguration config, IHostEnvironment env)
    {
        var options = config.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        services.AddSingleton(options);
        services.AddDbContext<AppDb>(db =>
        {
            switch (options.Provider.ToLowerInvariant())
            {
                case "sqlite":
                    db.UseSqlite(SqliteConnectionString(options.ConnectionString, env), o => o.CommandTimeout(30));
                    break;
                default:
                    throw new InvalidOperationException($"Database:Provider '{options.Provider}' is not supported; use sqlite, mysql or postgres.");
            }
        });
        return services;
    }

    /// <summary>Relative SQLite paths are under the content root, so the file lands in <c>data/</c> wherever the process starts.</summary>
    private static string SqliteConnectionString(string raw, IHostEnvironment env)
    {
        var csb = new SqliteConnectionStringBuilder(raw);
        if (!Path.IsPathRooted(csb.DataSource) && csb.DataSource != ":memory:")
        {
            csb.DataSource = Path.Combine(env.ContentRootPath, csb.DataSource);
        }
        Directory.CreateDirectory(Path.GetDirectoryName(csb.DataSource)!);
        csb.Pooling = true;
        csb.DefaultTimeout = 30;
        return csb.ToString();
    }

    /// <summary>Creates the legacy tables (standalone), applies migrations, fills demo data, clears stale presence.</summary>
    public static async Task PrepareDatabaseAsync(this IServiceProvider services, CancellationToken ct = default)
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
        var applied = await db.Database.GetAppliedMigrationsAsync(ct);
        var known = db.Database.GetMigrations().ToHashSet();
        var unknown = applied.Where(m => !known.Contains(m)).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException(
                $"The database schema is newer than this build (unknown migrations: {string.Join(", ", unknown)}). Upgrade the server instead of starting an older one.");
        }
        if (!options.IsAttach)
        {
            await LegacySchema.EnsureCreatedAsync(db, ct);
        }
        if (options.MigrateOnStartup)
        {
            await db.Database.MigrateAsync(ct);
        }
        else if ((await db.Database.GetPendingMigrationsAsync(ct)).Any())
        {
            throw new InvalidOperationException("Pending migrations: run the server with --migrate-only first, or set Database:MigrateOnStartup=true.");
        }
        if (!options.IsAttach && options.Demo)
        {
            await DemoData.SeedIfEmptyAsync(db, log, ct);
        }
        // No one stays "online" after a restart (with Redis, only this server's sessions count as left open).
        await scope.ServiceProvider.GetRequiredService<TrackPresence>().CloseSessionsLeftOpen(db, ct);
    }
}
