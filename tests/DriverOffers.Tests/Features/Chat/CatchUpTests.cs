using System.Net;
using DriverOffers.Tests.Infrastructure;

namespace DriverOffers.Tests.Features.Chat;

/// <summary>
/// The delivery guarantee's catch-up: a reader who asks for everything after the last id it has never misses a message,
/// whatever writes race (the chat writer of each server, and the counters' rate proposals and system messages).
/// </summary>
public sealed class CatchUpTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task A_reader_paging_by_after_id_while_two_servers_store_chat_and_counters_in_one_conversation_misses_nothing()
    {
        // A second server process on the same database, as a scaled-out site runs (in this process, sharing nothing).
        var other = await server.StartSibling();
        try
        {
            await ReadWhileWriting(other);
        }
        finally
        {
            await other.DisposeAsync();
        }
    }

    private async Task ReadWhileWriting(ServerFixture other)
    {

        using var carl = await server.LoginAs("carl.banks");
        var driverId = server.AddTrucks(1)[0];
        var offer = (await carl.CreateOffer(b => b["driver_ids"] = new[] { driverId })).Id();
        var proposalId = await carl.ProposalId(offer, driverId);
        using var driver = server.Driver(driverId);
        using var carlOnOther = other.Client(ServerFixture.TokenOf(carl));
        using var driverOnOther = other.Client(ServerFixture.TokenOf(driver));
        using var reader = server.Driver(driverId);

        async Task Chat(HttpClient client, string who, int count)
        {
            for (var i = 0; i < count; i++)
            {
                var sent = await client.Post($"/api/offers/{offer}/chat/{driverId}", new { message = $"{who} {i}", client_message_id = $"{who}-{i}-{Guid.NewGuid():N}" });
                Assert.Equal(HttpStatusCode.Created, sent.StatusCode);
            }
        }
        async Task Counters(HttpClient client, string action, int count)
        {
            for (var i = 0; i < count; i++)
            {
                // Both sides' counters write a rate proposal and a system message in the conversation, outside the chat writer.
                var answer = await client.Respond(proposalId, action, 1000m + i);
                Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            }
        }
        var writers = Task.WhenAll(
            Chat(carl, "carl-a", 120), Chat(carlOnOther, "carl-b", 120), Chat(driver, "driver-a", 120), Chat(driverOnOther, "driver-b", 120),
            Counters(driver, "counter", 60), Counters(carlOnOther, "counter", 60));

        // The reader catches up the way every client does after a reconnect: after the last id it has, page by page.
        var seen = new List<long>();
        long cursor = 0;
        async Task<bool> Poll()
        {
            var page = await reader.Chat(offer, driverId, $"?after_id={cursor}&limit=200");
            foreach (var m in page)
            {
                seen.Add(m.GetProperty("id").GetInt64());
            }
            if (page.Length > 0)
            {
                cursor = page[^1].GetProperty("id").GetInt64();
            }
            return page.Length > 0;
        }
        while (!writers.IsCompleted)
        {
            await Poll();
        }
        await writers;
        while (await Poll())
        {
        }

        var all = new List<long>();
        for (long after = 0; ;)
        {
            var page = await reader.Chat(offer, driverId, $"?after_id={after}&limit=200");
            if (page.Length == 0) break;
            all.AddRange(page.Select(m => m.GetProperty("id").GetInt64()));
            after = all[^1];
        }
        Assert.Equal(1 + 4 * 120 + 2 * 60 * 2, all.Count);
        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.Empty(all.Except(seen));
        Assert.Equal(all, seen);
    }
}
