using System.Net;
using DriverOffers.Server.Data;
using DriverOffers.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DriverOffers.Tests.Data;

/// <summary>A server on SQLite whatever the run selects.</summary>
public sealed class SqliteServer : ServerFixture
{
    protected override TestDbKind DatabaseKind => TestDbKind.Sqlite;
}

/// <summary>
/// SQLite has one writer at a time. A writer behind another must wait inside SQLite (busy_timeout, polling from 1 ms),
/// not get "busy" at once and sleep Microsoft.Data.Sqlite's fixed 150 ms before retrying (docs/decisions/073).
/// </summary>
public sealed class SqliteWriteLockTests(SqliteServer server) : IClassFixture<SqliteServer>
{
    [Fact]
    public async Task Every_connection_the_server_opens_waits_for_the_write_lock_inside_SQLite()
    {
        using var scope = server.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        await db.Database.OpenConnectionAsync();
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = "PRAGMA busy_timeout";
            Assert.Equal(30_000L, await command.ExecuteScalarAsync());
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    [Fact]
    public async Task A_write_behind_an_open_write_transaction_completes_once_that_commits()
    {
        using var first = server.Services.CreateScope();
        using var second = server.Services.CreateScope();
        var holder = first.ServiceProvider.GetRequiredService<AppDb>();
        var waiter = second.ServiceProvider.GetRequiredService<AppDb>();
        const string touch = "UPDATE socket_sessions SET is_online = is_online WHERE id = -1";
        await using var tx = await holder.Database.BeginTransactionAsync();
        await holder.Database.ExecuteSqlRawAsync(touch); // takes SQLite's write lock until the commit

        var blocked = Task.Run(() => waiter.Database.ExecuteSqlRawAsync(touch));
        await Task.Delay(50);
        Assert.False(blocked.IsCompleted, "the second writer should wait for the first one's commit");
        await tx.CommitAsync();
        await blocked.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_driver_reopening_an_offer_they_already_viewed_is_answered_while_another_connection_holds_the_write_lock()
    {
        using var carl = await server.LoginAs("carl.banks");
        var truck = server.AddTrucks(1)[0];
        var offerId = (await carl.CreateOffer(b => b["driver_ids"] = new[] { truck })).Id();
        var proposalId = await carl.ProposalId(offerId, truck);
        using var driver = server.Driver(truck);
        Assert.Equal(HttpStatusCode.OK, (await driver.Respond(proposalId, "view")).StatusCode);

        await using var holder = new SqliteConnection(server.Database.ConnectionString + ";Pooling=False");
        await holder.OpenAsync();
        await Run(holder, "BEGIN IMMEDIATE");
        try
        {
            // Waiting for the write lock would take the server's busy_timeout (30 s).
            var again = await driver.Respond(proposalId, "view").WaitAsync(TimeSpan.FromSeconds(5));
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
            Assert.Equal("viewed", (await again.Body()).Str("status"));
        }
        finally
        {
            await Run(holder, "ROLLBACK");
        }
        var chat = await driver.Chat(offerId, truck);
        Assert.Single(chat, m => m.Str("message").EndsWith("viewed the offer.", StringComparison.Ordinal));
    }

    private static async Task Run(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
