using System.Data.Common;
using System.Net;
using DriverOffers.Server.Data;
using DriverOffers.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using MySql.Data.MySqlClient;
using Npgsql;

namespace DriverOffers.Tests.Data;

/// <summary>
/// AppDb.LockOffer (decision 108): the offer's lock is held from the transaction's start, before anything is read, until
/// its commit. On SQLite that is the database's one write lock, which only an IMMEDIATE transaction takes at its start.
/// </summary>
public sealed class OfferLockTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task A_writer_that_locked_an_offer_keeps_every_other_writer_of_it_out_until_it_commits()
    {
        using var carl = await server.LoginAs("carl.banks");
        var offerId = (await carl.CreateOffer()).Id();
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();

        await using (var tx = await db.LockOffer(offerId, CancellationToken.None))
        {
            await Assert.ThrowsAnyAsync<DbException>(() => LockWithoutWaiting(offerId));
            await tx.CommitAsync();
        }

        await LockWithoutWaiting(offerId);
    }

    [Fact]
    public async Task A_dispatcher_who_may_not_manage_an_offer_is_refused_without_waiting_for_its_lock()
    {
        using var carl = await server.LoginAs("carl.banks");
        using var leo = await server.LoginAs("leo.durand");
        var truck = server.AddTrucks(1)[0];
        var offerId = (await carl.CreateOffer(b => b["driver_ids"] = new[] { truck })).Id();
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();

        await using var tx = await db.LockOffer(offerId, CancellationToken.None);
        try
        {
            // Waiting for the lock would last until the commit below (SQLite: until its 30 s busy_timeout).
            var refusals = await Task.WhenAll(
                leo.DeleteAsync($"/api/offers/{offerId}"),
                leo.Put($"/api/offers/{offerId}", OfferApi.NewOffer()),
                leo.Post($"/api/offers/{offerId}/send-to-drivers", new { driver_ids = new[] { truck } }),
                leo.Post($"/api/offers/{offerId}/book", new { driver_id = truck })).WaitAsync(TimeSpan.FromSeconds(5));
            Assert.All(refusals, r => Assert.Equal(HttpStatusCode.NotFound, r.StatusCode));
        }
        finally
        {
            await tx.CommitAsync();
        }
    }

    /// <summary>Takes the offer's lock as another writer would, failing at once if it is held.</summary>
    private async Task LockWithoutWaiting(int offerId)
    {
        var database = server.Database;
        (DbConnection Connection, string[] Sql) target = database.Kind switch
        {
            // One statement per command: Microsoft.Data.Sqlite waits out its own timeout on a busy statement, and in a
            // batch of several it then went on as if the statement had run.
            TestDbKind.Sqlite => ((DbConnection)new SqliteConnection(database.ConnectionString + ";Default Timeout=1;Pooling=False"),
                new[] { "PRAGMA busy_timeout = 0", "BEGIN IMMEDIATE", "ROLLBACK" }),
            TestDbKind.MariaDb => (new MySqlConnection(database.ConnectionString + ";Pooling=false"),
                new[] { "START TRANSACTION", $"SELECT id FROM offers WHERE id = {offerId} FOR UPDATE NOWAIT", "ROLLBACK" }),
            _ => (new NpgsqlConnection(database.ConnectionString + ";Pooling=false"),
                new[] { "BEGIN", $"SELECT id FROM offers WHERE id = {offerId} FOR NO KEY UPDATE NOWAIT", "ROLLBACK" }),
        };
        await using (var connection = target.Connection)
        {
            await connection.OpenAsync();
            foreach (var statement in target.Sql)
            {
                await using var command = connection.CreateCommand();
                command.CommandText = statement;
                await command.ExecuteNonQueryAsync();
            }
        }
    }
}
