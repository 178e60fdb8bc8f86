using System.Net;
using DriverOffers.Server.Data;
using DriverOffers.Server.Features.Chat;
using DriverOffers.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DriverOffers.Tests.Features.Chat;

/// <summary>
/// The chat writer's batches (docs/decisions/070, 082) on every provider: a resend inside a batch of new messages,
/// and a batch the database holds up past the writer's deadline.
/// </summary>
public sealed class MessageWriterTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private MessageWriter Writer => server.Services.GetRequiredService<MessageWriter>();

    private async Task<(HttpClient Carl, int OfferId, int Driver)> Conversation()
    {
        var carl = await server.LoginAs("carl.banks");
        var driver = server.AddTrucks(1)[0];
        var offer = await carl.CreateOffer(b => b["driver_ids"] = new[] { driver });
        return (carl, offer.Id(), driver);
    }

    private static MessageWriter.Send Send(int offerId, int driverId, int dispatcherId, string clientId) =>
        new(offerId, driverId, SenderType.Dispatcher, dispatcherId, $"message {clientId}", clientId, DateTime.UtcNow);

    /// <summary>
    /// Holds the writer's next batch on <paramref name="offerId"/> inside the database: a transaction of the test's own locks
    /// the offer's row, which storing a message for it (a foreign key to it) has to wait for. Dispose to let go.
    /// </summary>
    private async Task<IAsyncDisposable> LockOffer(int offerId)
    {
        var scope = server.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        var tx = await db.Database.BeginTransactionAsync();
        // SQLite locks the whole database for a writer; the others lock the row.
        await db.Database.ExecuteSqlRawAsync(db.Database.IsSqlite()
            ? "UPDATE offers SET status = status WHERE id = {0}"
            : "SELECT id FROM offers WHERE id = {0} FOR UPDATE", offerId);
        return new Release(async () =>
        {
            await tx.RollbackAsync();
            await tx.DisposeAsync();
            scope.Dispose();
        });
    }

    private sealed class Release(Func<Task> release) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await release();
    }

    [Fact]
    public async Task A_resend_in_the_middle_of_a_batch_gets_the_stored_message_and_the_batch_is_stored()
    {
        var (carl, offerId, driverId) = await Conversation();
        var first = await (await carl.Post($"/api/offers/{offerId}/chat/{driverId}", new { message = "Rate is firm", client_message_id = "stored-1" })).Body();
        var dispatcherId = first.GetProperty("sender_id").GetInt32();
        var (_, heldOffer, heldDriver) = await Conversation();

        Task<MessageWriter.Written>[] batch;
        Task<MessageWriter.Written> held;
        await using (await LockOffer(heldOffer))
        {
            held = Writer.Write(Send(heldOffer, heldDriver, dispatcherId, "held-1"), CancellationToken.None);
            await Task.Delay(500);
            // Queued while the writer waits on the lock, so they are stored together, the resend (whose row exists: its ack
            // was lost) between two new messages. On MariaDB a duplicate there used to leave the writer hanging for good.
            batch = new[] { "new-1", "stored-1", "new-2" }.Select(id => Writer.Write(Send(offerId, driverId, dispatcherId, id), CancellationToken.None)).ToArray();
        }
        var written = await Task.WhenAll(batch).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True((await held.WaitAsync(TimeSpan.FromSeconds(30))).Created);

        Assert.True(written[0].Created);
        Assert.True(written[2].Created);
        Assert.False(written[1].Created);
        Assert.Equal(first.GetProperty("id").GetInt64(), written[1].Message!.Id);
        Assert.Equal("Rate is firm", written[1].Message!.Message);
        var stored = server.Scoped(db => db.ChatMessages.AsNoTracking().Where(m => m.OfferId == offerId && m.ClientMessageId != null)
            .OrderBy(m => m.Id).Select(m => new { m.Id, m.ClientMessageId }).ToList());
        Assert.Equal(["stored-1", "new-1", "new-2"], stored.Select(m => m.ClientMessageId));
        Assert.Equal([written[0].Message!.Id, written[2].Message!.Id], stored.Skip(1).Select(m => m.Id));
        carl.Dispose();
    }

    [Fact]
    public async Task A_batch_held_up_past_the_deadline_fails_its_sends_and_the_writer_goes_on()
    {
        if (server.Database.Kind == TestDbKind.Sqlite)
        {
            // In-process and synchronous: a batch there waits on the lock inside SQLite, for its busy_timeout (30 s, then
            // "database is locked" fails the batch: SqliteWriteLockTests), not on a connector that could wait for ever.
            return;
        }
        var (carl, offerId, driverId) = await Conversation();
        var dispatcherId = (await (await carl.Post($"/api/offers/{offerId}/chat/{driverId}", new { message = "hello", client_message_id = "before" })).Body())
            .GetProperty("sender_id").GetInt32();
        var writer = Writer;
        var deadline = writer.Deadline;
        writer.Deadline = TimeSpan.FromSeconds(1);
        try
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            await using (await LockOffer(offerId))
            {
                var stuck = writer.Write(Send(offerId, driverId, dispatcherId, "stuck-1"), CancellationToken.None);
                var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => stuck.WaitAsync(TimeSpan.FromSeconds(20)));
                Assert.Contains("send it again", failure.Message);
            }
            Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(15));
        }
        finally
        {
            writer.Deadline = deadline;
        }

        // The writer is free again: the failed send, sent again, is stored once, and so is a new one.
        var again = await carl.Post($"/api/offers/{offerId}/chat/{driverId}", new { message = "message stuck-1", client_message_id = "stuck-1" });
        Assert.True(again.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, $"{again.StatusCode}");
        Assert.Equal(HttpStatusCode.Created, (await carl.Post($"/api/offers/{offerId}/chat/{driverId}", new { message = "after", client_message_id = "after" })).StatusCode);
        Assert.Equal(1, server.Scoped(db => db.ChatMessages.Count(m => m.OfferId == offerId && m.ClientMessageId == "stuck-1")));
        carl.Dispose();
    }
}
