using System.Net;
using DriverOffers.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace DriverOffers.Tests.Data;

/// <summary>A standalone server on an empty PostgreSQL database, whatever the run's DRIVER_OFFERS_TEST_DB.</summary>
public sealed class EmptyPostgresFixture : ServerFixture
{
    protected override TestDbKind DatabaseKind => TestDbKind.Postgres;
}

/// <summary>Standalone mode from an empty PostgreSQL database: what a new installation on PostgreSQL meets.</summary>
[Trait("Provider", "postgres")]
public sealed class PostgresFromEmptyTests(EmptyPostgresFixture server) : IClassFixture<EmptyPostgresFixture>
{
    [Fact]
    public async Task An_empty_database_gets_the_legacy_tables_with_their_exact_names_the_product_tables_and_demo_data()
    {
        var columns = await Strings("""
            SELECT table_name || '.' || column_name FROM information_schema.columns
            WHERE table_schema = 'public' AND table_name IN ('Trucks', 'users') ORDER BY 1
            """);
        Assert.Contains("Trucks.TruckNumber", columns);
        Assert.Contains("Trucks.isActive", columns);
        Assert.Contains("Trucks.updated_at", columns);
        Assert.Contains("users.full_name", columns);
        var tables = await Strings("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'");
        Assert.Superset(new HashSet<string> { "offers", "offer_proposals", "chat_messages", "socket_sessions", "driver_access_codes", "outbox_messages", "revoked_tokens", "__EFMigrationsHistory" }, tables.ToHashSet());
        var applied = await Strings("SELECT \"MigrationId\" FROM \"__EFMigrationsHistory\"");
        Assert.Equal(server.Scoped(db => db.Database.GetMigrations().ToList()), applied);
        Assert.Equal([107, 120, 122], server.Scoped(db => db.Trucks.Where(t => t.Id == 107 || t.Id == 120 || t.Id == 122).OrderBy(t => t.Id).Select(t => t.Id).ToList()));
    }

    [Fact]
    public async Task A_demo_dispatcher_runs_an_offer_to_booking()
    {
        using var carl = await server.LoginAs("carl.banks");
        var offer = await carl.CreateOffer();
        await carl.SendTo(offer.Id(), 107, 122);
        using var driver = server.Driver(122);
        Assert.Equal(HttpStatusCode.Created, (await driver.Post($"/api/offers/{offer.Id()}/chat/122", new { message = "I can take it", client_message_id = "d-1" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await driver.Respond(await carl.ProposalId(offer.Id(), 122), "accept")).StatusCode);
        var booked = await carl.Post($"/api/offers/{offer.Id()}/book", new { driver_id = 122 });
        Assert.Equal(HttpStatusCode.OK, booked.StatusCode);
        Assert.Equal("completed", (await booked.Body()).Str("status"));
    }

    [Fact]
    public async Task A_change_to_a_truck_moves_its_updated_at_like_MySQL_on_update_does()
    {
        var before = server.Scoped(db => db.Trucks.AsNoTracking().Single(t => t.Id == 120).UpdatedAt);
        await Execute("UPDATE \"Trucks\" SET \"Status\" = 'On Load' WHERE \"ID\" = 120");
        try
        {
            var after = server.Scoped(db => db.Trucks.AsNoTracking().Single(t => t.Id == 120).UpdatedAt);
            Assert.True(after > before, $"updated_at stayed {before:O}");
        }
        finally
        {
            await Execute("UPDATE \"Trucks\" SET \"Status\" = 'Available' WHERE \"ID\" = 120");
        }
    }

    private async Task<List<string>> Strings(string sql)
    {
        await using var connection = new NpgsqlConnection(server.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetString(0));
        }
        return values;
    }

    private async Task Execute(string sql)
    {
        await using var connection = new NpgsqlConnection(server.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
