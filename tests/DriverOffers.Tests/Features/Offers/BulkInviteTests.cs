using System.Net;
using DriverOffers.Server.Data;
using DriverOffers.Server.Features.Auth;
using DriverOffers.Server.Features.Chat;
using DriverOffers.Server.Features.Outbox;
using DriverOffers.Server.Features.Proposals;
using DriverOffers.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace DriverOffers.Tests.Features.Offers;

/// <summary>Inviting drivers stores its rows in bulk (BulkInsert, decision 072): every row, with its values, on every provider.</summary>
public sealed class BulkInviteTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task A_500_driver_send_stores_a_proposal_sms_and_system_message_for_every_driver_and_no_link_codes()
    {
        using var carl = await server.LoginAs("carl.banks");
        var offer = (await carl.CreateOffer()).Id();
        var trucks = server.AddTrucks(500);

        var response = await carl.Post($"/api/offers/{offer}/send-to-drivers", new { driver_ids = trucks });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var links = (await response.Body()).GetProperty("drivers").EnumerateArray().ToList();
        Assert.Equal(trucks, links.Select(l => l.GetProperty("driver_id").GetInt32()));
        await server.ScopedAsync(async db =>
        {
            var proposals = await db.Proposals.Where(p => p.OfferId == offer).ToListAsync();
            Assert.Equal(trucks.Order(), proposals.Select(p => p.DriverId).Order());
            Assert.All(proposals, p => Assert.Equal(ProposalStatus.Sent, p.Status));
            Assert.All(proposals, p => Assert.Equal(DateTimeKind.Utc, p.CreatedAt.Kind));
            Assert.Equal(500, proposals.Select(p => p.Id).Distinct().Count());

            // Links are signed, not stored: each one's code grants its own truck this offer, until the expiry it lists.
            Assert.Equal(0, await db.DriverAccessCodes.CountAsync(c => c.OfferId == offer));
            var signer = server.Services.GetRequiredService<OfferLinks>();
            foreach (var link in links)
            {
                var grant = signer.Read(link.Str("link").Split('/').Last());
                Assert.NotNull(grant);
                Assert.Equal((offer, link.GetProperty("driver_id").GetInt32()), (grant.OfferId, grant.TruckId));
                Assert.Equal(link.GetProperty("expires_at").GetDateTime().ToUniversalTime(), grant.ExpiresAt);
            }

            var sms = await db.Outbox.Where(o => o.OfferId == offer).ToListAsync();
            Assert.Equal(trucks.Order(), sms.Select(o => o.TruckId!.Value).Order());
            Assert.All(sms, o => Assert.Equal(OutboxChannel.Sms, o.Channel));
            Assert.All(sms, o => Assert.Contains(o.Link!, o.Body, StringComparison.Ordinal));

            var messages = await db.ChatMessages.Where(m => m.OfferId == offer).ToListAsync();
            Assert.Equal(trucks.Order(), messages.Select(m => m.DriverId).Order());
            Assert.All(messages, m => Assert.Equal(MessageType.System, m.MessageType));
            return 0;
        });
        // Read back through the API, the stored rows look like any other.
        var chat = await carl.Chat(offer, trucks[^1]);
        Assert.Equal($"Offer sent to Driver {trucks[^1]} by Carl Banks.", Assert.Single(chat).Str("message"));
        var listed = await (await carl.GetAsync($"/api/offers/{offer}/proposals")).Body();
        Assert.Equal(500, listed.GetArrayLength());
    }

    [Fact]
    public async Task An_offer_created_with_drivers_stores_their_rows_in_its_own_transaction()
    {
        using var carl = await server.LoginAs("carl.banks");
        var trucks = server.AddTrucks(3);

        var created = await carl.CreateOffer(b => b["driver_ids"] = trucks);

        Assert.Equal(3, created.GetProperty("drivers").GetArrayLength());
        var offer = created.Id();
        Assert.Equal(3, server.Scoped(db => db.Proposals.Count(p => p.OfferId == offer)));
        Assert.Equal(0, server.Scoped(db => db.DriverAccessCodes.Count(c => c.OfferId == offer)));
        Assert.Equal(3, server.Scoped(db => db.Outbox.Count(o => o.OfferId == offer)));
        Assert.Equal(3, server.Scoped(db => db.ChatMessages.Count(m => m.OfferId == offer)));
    }

    [Fact]
    public async Task A_bulk_insert_refused_by_a_unique_index_fails_like_SaveChanges_and_leaves_nothing()
    {
        var offer = await server.AddOffer(HubKitIds.Carl);
        var trucks = server.AddTrucks(300);
        var now = DateTime.UtcNow;
        var rows = trucks.Select(t => Proposal.Send(offer, t, now)).ToList();
        // A row repeating the first (offer, driver), refused by unique_offer_driver in a later statement. Alone in it: in
        // a multi-row INSERT … RETURNING after rows it returned, a duplicate hangs Oracle's connector on MariaDB (decision
        // 082), which is why the callers never send one there.
        var repeat = Proposal.Send(offer, trucks[0], now);

        var failure = await Assert.ThrowsAsync<DbUpdateException>(() => server.ScopedAsync(async db =>
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            await BulkInsert.Rows(db, rows, CancellationToken.None);
            await BulkInsert.Rows(db, [repeat], CancellationToken.None);
            await tx.CommitAsync();
            return 0;
        }));

        Assert.True(DbErrors.IsUniqueViolation(failure));
        Assert.Equal(0, server.Scoped(db => db.Proposals.Count(p => p.OfferId == offer)));
    }

    [Fact]
    public async Task Bulk_and_tracked_inserts_store_the_same_values_and_set_the_ids()
    {
        var offer = await server.AddOffer(HubKitIds.Carl);
        var now = new DateTime(2026, 5, 1, 12, 30, 15, DateTimeKind.Utc);
        var bulk = ChatMessage.System(offer, 107, SenderType.Dispatcher, HubKitIds.Carl, "bulk ’ quote ' and \\ slash", now, rate: 1234.56m);
        var tracked = ChatMessage.System(offer, 120, SenderType.Dispatcher, HubKitIds.Carl, "bulk ’ quote ' and \\ slash", now, rate: 1234.56m);

        await StoreBulkAndTracked(bulk, tracked);

        Assert.True(bulk.Id > 0);
        Assert.True(tracked.Id > bulk.Id);
        var stored = server.Scoped(db => db.ChatMessages.AsNoTracking().Where(m => m.Id == bulk.Id || m.Id == tracked.Id).OrderBy(m => m.Id).ToList());
        Assert.Equal(2, stored.Count);
        foreach (var m in stored)
        {
            Assert.Equal("bulk ’ quote ' and \\ slash", m.Message);
            Assert.Equal(1234.56m, m.Rate);
            Assert.Equal(now, m.CreatedAt);
            Assert.Equal(DateTimeKind.Utc, m.CreatedAt.Kind);
            Assert.True(m.IsRead);
        }
    }

    [Fact]
    public async Task Bulk_and_tracked_inserts_store_identical_columns_for_every_kind_of_invitation_row()
    {
        var offer = await server.AddOffer(HubKitIds.Carl);
        var trucks = server.AddTrucks(2);
        var now = new DateTime(2026, 5, 1, 12, 30, 15, 123, DateTimeKind.Utc).AddTicks(4567);
        OutboxMessage Sms() => OutboxMessage.Create(OutboxChannel.Sms, "+1 555 0100", trucks[0], offer, "New load offer", "Body ’ with 'quotes'", "https://x/l/1", now);
        ChatMessage Message() => ChatMessage.System(offer, trucks[0], SenderType.Dispatcher, HubKitIds.Carl, "sent", now, rate: 1234.5m);

        // Each pair differs only where the table's unique indexes demand it.
        await AssertStoredAlike(Proposal.Send(offer, trucks[0], now), Proposal.Send(offer, trucks[1], now), p => p.Id, "driver_id");
        await AssertStoredAlike(Sms(), Sms(), o => o.Id);
        await AssertStoredAlike(Message(), Message(), m => m.Id);
    }

    /// <summary><paramref name="bulk"/> through BulkInsert, then <paramref name="tracked"/> through SaveChanges, in one transaction.</summary>
    private Task<int> StoreBulkAndTracked<T>(T bulk, T tracked) where T : class => server.ScopedAsync(async db =>
    {
        await using var tx = await db.Database.BeginTransactionAsync();
        await BulkInsert.Rows(db, [bulk], CancellationToken.None);
        await BulkInsert.Tracked(db, [tracked], CancellationToken.None);
        await tx.CommitAsync();
        return 0;
    });

    /// <summary>Stores <paramref name="bulk"/> through BulkInsert and <paramref name="tracked"/> through SaveChanges, then
    /// compares the two rows column by column as the database driver returns them (on SQLite: the stored text/integer
    /// forms).</summary>
    private async Task AssertStoredAlike<T>(T bulk, T tracked, Func<T, long> id, params string[] differing) where T : class
    {
        await StoreBulkAndTracked(bulk, tracked);
        Assert.True(id(bulk) > 0);
        var rows = await server.ScopedAsync(async db =>
        {
            var table = db.Model.FindEntityType(typeof(T))!.GetTableName()!;
            var sql = db.GetService<Microsoft.EntityFrameworkCore.Storage.ISqlGenerationHelper>();
            var connection = db.Database.GetDbConnection();
            await db.Database.OpenConnectionAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT * FROM {sql.DelimitIdentifier(table)} WHERE {sql.DelimitIdentifier("id")} IN ({id(bulk)}, {id(tracked)}) ORDER BY {sql.DelimitIdentifier("id")}";
            await using var reader = await command.ExecuteReaderAsync();
            var found = new List<Dictionary<string, object>>();
            while (await reader.ReadAsync())
            {
                found.Add(Enumerable.Range(0, reader.FieldCount).ToDictionary(reader.GetName, reader.GetValue));
            }
            return found;
        });
        Assert.Equal(2, rows.Count);
        foreach (var column in rows[0].Keys.Where(c => c != "id" && !differing.Contains(c)))
        {
            Assert.True(Equals(rows[0][column], rows[1][column]),
                $"{typeof(T).Name}.{column}: bulk stored {Show(rows[0][column])}, EF stored {Show(rows[1][column])}");
        }
        static string Show(object v) => $"{v} ({v.GetType().Name})";
    }

    [Fact]
    public async Task Every_database_the_tests_run_on_takes_the_multi_row_path() =>
        // SQLite, PostgreSQL and MariaDB 10.11 all have INSERT … RETURNING; only MySQL proper falls back.
        Assert.True(await server.ScopedAsync(db => BulkInsert.SupportsReturning(db, CancellationToken.None)));

    [Theory]
    [InlineData("10.11.19-MariaDB-0+deb12u1", true)]
    [InlineData("5.5.5-10.5.2-MariaDB", true)]
    [InlineData("10.4.30-MariaDB", false)]
    [InlineData("8.0.36", false)]
    [InlineData("11.4.2-MariaDB-log", true)]
    public void Returning_is_used_on_MariaDB_from_10_5_only(string version, bool expected) =>
        Assert.Equal(expected, BulkInsert.IsMariaDbWithReturning(version));

    private static class HubKitIds
    {
        public const int Carl = 18;
    }
}
