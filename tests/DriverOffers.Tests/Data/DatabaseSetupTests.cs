using System.Diagnostics;
using DriverOffers.Server.Data;
using DriverOffers.Server.Data.Providers;
using DriverOffers.Server.Features.Chat;
using DriverOffers.Server.Features.Offers;
using DriverOffers.Server.Hosting;
using DriverOffers.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace DriverOffers.Tests.Data;

/// <summary>Start-up and upgrade safety, on whichever database the run uses (DRIVER_OFFERS_TEST_DB).</summary>
public sealed class DatabaseSetupTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public void Every_provider_has_its_migrations_in_step_with_the_one_model()
    {
        // Catches a model change that regenerated one provider's migrations but not the others (tools/add-migration.sh).
        using AppDb sqlite = new SqliteDesignTimeFactory().CreateDbContext([]);
        using AppDb mysql = new MySqlDesignTimeFactory().CreateDbContext([]);
        using AppDb postgres = new PostgresDesignTimeFactory().CreateDbContext([]);
        foreach (var db in new[] { sqlite, mysql, postgres })
        {
            Assert.NotEmpty(db.Database.GetMigrations());
            Assert.False(db.Database.HasPendingModelChanges(), $"{db.GetType().Name}: the model changed without a migration; run tools/add-migration.sh.");
        }
        Assert.Equal(sqlite.Database.GetMigrations().Select(Name), mysql.Database.GetMigrations().Select(Name));
        Assert.Equal(sqlite.Database.GetMigrations().Select(Name), postgres.Database.GetMigrations().Select(Name));
    }

    [Fact]
    public async Task A_database_migrated_by_a_newer_build_refuses_to_start_with_a_clear_message()
    {
        var history = server.Scoped(db => db.GetService<ISqlGenerationHelper>().DelimitIdentifier("__EFMigrationsHistory"));
        await Sql($"INSERT INTO {history} VALUES ('29991231000000_FromTheFuture', '99.0.0')");
        try
        {
            await using var older = server.BuildServer();
            var e = await Assert.ThrowsAsync<StartupException>(() => older.Services.PrepareDatabaseAsync());
            Assert.Contains("newer than this build", e.Message, StringComparison.Ordinal);
            Assert.Contains("29991231000000_FromTheFuture", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            await Sql($"DELETE FROM {history} WHERE {Quote("MigrationId")} = '29991231000000_FromTheFuture'");
        }
    }

    [Fact]
    public async Task Starting_again_on_a_migrated_database_applies_nothing_and_adds_no_second_demo_data()
    {
        var users = server.Scoped(db => db.Users.Count());
        var trucks = server.Scoped(db => db.Trucks.Count());
        await using var again = server.BuildServer();
        await again.Services.PrepareDatabaseAsync();
        using var scope = again.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(users, await db.Users.CountAsync());
        Assert.Equal(trucks, await db.Trucks.CountAsync());
    }

    [Fact]
    public async Task With_migrations_at_start_up_turned_off_a_server_behind_on_migrations_refuses_to_start()
    {
        // Simulates an upgrade whose migrations were not run yet (--migrate-only was skipped).
        var last = server.Scoped(db => db.Database.GetMigrations().Last());
        var history = server.Scoped(db => db.GetService<ISqlGenerationHelper>().DelimitIdentifier("__EFMigrationsHistory"));
        await Sql($"DELETE FROM {history} WHERE {Quote("MigrationId")} = '{last}'");
        try
        {
            await using var app = server.BuildServer(new Dictionary<string, string?> { ["Database:MigrateOnStartup"] = "false" });
            var e = await Assert.ThrowsAsync<StartupException>(() => app.Services.PrepareDatabaseAsync());
            Assert.Contains("--migrate-only", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            await Sql($"INSERT INTO {history} VALUES ('{last}', '10.0.0')");
        }
    }

    [Fact]
    public async Task Migrate_only_builds_the_schema_and_exits_then_a_server_with_migrations_at_start_up_off_starts_on_it()
    {
        var dir = Directory.CreateTempSubdirectory("driver-offers-migrate-only-").FullName;
        await using var fresh = await TestDatabase.CreateAsync(server.Database.Kind, dir);
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "DriverOffers.Server.dll"));
        psi.ArgumentList.Add("--migrate-only");
        psi.Environment["Database__Provider"] = fresh.Provider;
        psi.Environment["Database__ConnectionString"] = fresh.ConnectionString;
        psi.Environment["Database__MigrateOnStartup"] = "false";
        psi.Environment["Auth__JwtSecret"] = ServerFixture.JwtSecret;
        using var process = Process.Start(psi)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(90)).Token);
        Assert.True(process.ExitCode == 0, $"--migrate-only exited {process.ExitCode}:\n{await output}\n{await errors}");

        var onFresh = new Dictionary<string, string?>
        {
            ["Database:Provider"] = fresh.Provider,
            ["Database:ConnectionString"] = fresh.ConnectionString,
            ["Database:MigrateOnStartup"] = "false",
        };
        await using (var app = server.BuildServer(onFresh))
        {
            await app.Services.PrepareDatabaseAsync();
            using var scope = app.Services.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDb>();
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            Assert.True(await db.Users.AnyAsync(), "demo data comes with the first normal start");
        }
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task A_second_message_with_the_same_client_message_id_is_reported_as_a_unique_violation()
    {
        var offerId = await server.ScopedAsync(async db =>
        {
            var offer = Offer.Create(18, new OfferDetails("Rockford, IL", null, null, "Smyrna, TN", null, null, null, null, null, null,
                null, null, null, 1500m, null), autoBook: false, expiresAt: null, DateTime.UtcNow);
            db.Offers.Add(offer);
            await db.SaveChangesAsync();
            db.ChatMessages.Add(ChatMessage.Text(offer.Id, 107, SenderType.Dispatcher, 18, "first", "same-id", DateTime.UtcNow));
            await db.SaveChangesAsync();
            return offer.Id;
        });
        var error = await server.ScopedAsync(async db =>
        {
            db.ChatMessages.Add(ChatMessage.Text(offerId, 107, SenderType.Dispatcher, 18, "again", "same-id", DateTime.UtcNow));
            return await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        });
        Assert.True(DbErrors.IsUniqueViolation(error), error.InnerException?.Message);
        // Exact match: a different case is a different id on every provider (MySQL's default collation ignores case).
        await server.ScopedAsync(async db =>
        {
            db.ChatMessages.Add(ChatMessage.Text(offerId, 107, SenderType.Dispatcher, 18, "other", "SAME-ID", DateTime.UtcNow));
            return await db.SaveChangesAsync();
        });
    }

    private static string Name(string migrationId) => migrationId[15..];

    private string Quote(string identifier) => server.Scoped(db => db.GetService<ISqlGenerationHelper>().DelimitIdentifier(identifier));

    private Task<int> Sql(string sql) => server.ScopedAsync(db => db.Database.ExecuteSqlRawAsync(sql));
}
