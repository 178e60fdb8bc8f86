using System.Net;
using DriverOffers.Server.Features.Drivers;
using DriverOffers.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using MySql.Data.MySqlClient;

namespace DriverOffers.Tests.Data;

/// <summary>
/// Attach mode against a MariaDB that already runs the legacy dispatch system: the server adds its own tables beside
/// <c>users</c> and <c>Trucks</c>, works with them, and leaves them exactly as they were.
/// Always MariaDB, whatever the run's DRIVER_OFFERS_TEST_DB (test.sh runs it in the MariaDB pass).
/// </summary>
[Trait("Provider", "mariadb")]
public sealed class AttachToLegacyMariaDbTests(LegacyMariaDbFixture server) : IClassFixture<LegacyMariaDbFixture>
{
    [Fact]
    public async Task A_full_offer_to_booking_flow_on_a_live_dispatch_database_leaves_users_and_Trucks_exactly_as_they_were()
    {
        Assert.Equal(6, server.Before.Users.Count);
        Assert.Equal(5, server.Before.Trucks.Count);

        // Existing dispatcher, existing PHP $2y$ hash.
        using var carl = await server.LoginAs("carl.banks", LegacyMariaDbFixture.Password);
        var me = await (await carl.GetAsync("/api/me")).Body();
        Assert.Equal("Carl Banks", me.Str("name"));

        // The existing trucks, read through the legacy column names and types.
        var trucks = server.Scoped(db => db.Trucks.AsNoTracking().OrderBy(t => t.Id).ToList());
        Assert.Equal([107, 120, 122, 125, 130], trucks.Select(t => t.Id));
        Assert.Equal("Hebert Rodríguez", trucks.Single(t => t.Id == 122).DriverName);
        Assert.Equal(42.27113900m, trucks.Single(t => t.Id == 107).Latitude);
        Assert.Equal("$2.35/mi", trucks.Single(t => t.Id == 120).Rate);
        Assert.False(trucks.Single(t => t.Id == 130).IsActive);
        // The legacy app wrote 14:00 in its session's time zone (the server's, UTC-5): that instant is 19:00 UTC.
        Assert.Equal(new DateTime(2024, 6, 1, 19, 0, 0, DateTimeKind.Utc), trucks.Single(t => t.Id == 107).UpdatedAt);

        // Offer → send → the driver opens the link → chat both ways → accept → book.
        var offer = await carl.CreateOffer();
        var sent = await carl.SendTo(offer.Id(), 107, 120);
        var link = sent.GetProperty("drivers").EnumerateArray().Single(d => d.GetProperty("driver_id").GetInt32() == 107).Str("link");
        using var anonymous = server.Client();
        var exchange = await anonymous.Post("/api/driver/auth/exchange", new { code = link[(link.LastIndexOf('/') + 1)..] });
        Assert.Equal(HttpStatusCode.OK, exchange.StatusCode);
        using var nwee = server.Client((await exchange.Body()).Str("access_token"));
        Assert.Equal(HttpStatusCode.Created, (await carl.Post($"/api/offers/{offer.Id()}/chat/107", new { message = "Can you do Tuesday 8am?", client_message_id = "carl-1" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await nwee.Post($"/api/offers/{offer.Id()}/chat/107", new { message = "Yes, 8am works", client_message_id = "nwee-1" })).StatusCode);
        var proposal = (await (await nwee.GetAsync($"/api/offers/{offer.Id()}")).Body()).GetProperty("my_proposal").Id();
        Assert.Equal(HttpStatusCode.OK, (await nwee.Respond(proposal, "accept")).StatusCode);
        var booked = await carl.Post($"/api/offers/{offer.Id()}/book", new { driver_id = 107 });
        Assert.Equal(HttpStatusCode.OK, booked.StatusCode);
        Assert.Equal(107, (await booked.Body()).GetProperty("booked_driver_id").GetInt32());
        var chat = await carl.Chat(offer.Id(), 107);
        Assert.Contains(chat, m => m.Str("message") == "Yes, 8am works");

        // A restart on the same database: migrations already there, still no demo data, still the same legacy rows.
        await server.StopServerAsync();
        await server.StartServerAsync();
        using var carlAgain = await server.LoginAs("carl.banks", LegacyMariaDbFixture.Password);
        Assert.Equal(HttpStatusCode.OK, (await carlAgain.GetAsync($"/api/offers/{offer.Id()}")).StatusCode);

        await AssertLegacyTablesUntouched();
        // Only the product's own tables were added; the dispatch app's other tables are still there.
        string[] expected = ["Trucks", "__EFMigrationsHistory", "chat_messages", "driver_access_codes", "loads", "offer_proposals",
            "offers", "outbox_messages", "revoked_tokens", "socket_sessions", "users"];
        Assert.Equal(expected.Order(StringComparer.Ordinal), (await Tables()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task An_inactive_legacy_user_cannot_sign_in_and_no_demo_account_exists()
    {
        using var client = server.Client();
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.Post("/api/auth/login", new { username = "old.timer", password = LegacyMariaDbFixture.Password })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.Post("/api/auth/login", new { username = "carl.banks", password = Server.Data.DemoData.Password })).StatusCode);
        await AssertLegacyTablesUntouched();
    }

    [Fact]
    public async Task The_server_refuses_to_save_a_change_to_a_legacy_row_before_any_sql_is_sent()
    {
        var error = await server.ScopedAsync(async db =>
        {
            var truck = await db.Trucks.SingleAsync(t => t.Id == 107);
            db.Entry(truck).Property(t => t.Status).CurrentValue = "Booked";
            db.Trucks.Add(new Truck(999, "999", "Available", "New Driver", null, null, null, null, null, null, null, null, true, DateTime.UtcNow));
            return await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
        });
        Assert.Contains("Attach mode never writes", error.Message, StringComparison.Ordinal);
        await AssertLegacyTablesUntouched();
    }

    private async Task AssertLegacyTablesUntouched()
    {
        var now = await server.Now();
        Assert.Equal(server.Before.UsersSchema, now.UsersSchema);
        Assert.Equal(server.Before.TrucksSchema, now.TrucksSchema);
        Assert.Equal(server.Before.Users, now.Users);
        Assert.Equal(server.Before.Trucks, now.Trucks);
    }

    private async Task<List<string>> Tables()
    {
        await using var connection = new MySqlConnection(server.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand("SHOW TABLES", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var tables = new List<string>();
        while (await reader.ReadAsync())
        {
            tables.Add(reader.GetString(0));
        }
        return tables;
    }
}
