using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using DriverOffers.Server.Common;
using DriverOffers.Tests.Infrastructure;
using DriverOffers.Tests.Realtime;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace DriverOffers.Tests.Hosting;

/// <summary>
/// SIGTERM, as systemd, Docker or Kubernetes stop the server, while dispatchers and drivers are sending chat messages
/// over the hub; on whichever database the run uses.
/// </summary>
public sealed class GracefulShutdownTests : IAsyncLifetime
{
    private const string JwtSecret = "shutdown-secret-shutdown-secret-0123456789";

    private readonly string _dir = Directory.CreateTempSubdirectory("driver-offers-shutdown-").FullName;
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync(TestDatabase.Selected, _dir);

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private sealed record Sender(string Token, int OfferId, int DriverId, string Name);

    [Fact]
    public Task Every_acknowledged_message_survives_a_SIGTERM_mid_burst_the_process_exits_0_and_clients_catch_up_after_the_restart() =>
        StopMidBurstThenRestart(killed: false);

    /// <summary>SIGKILL (the OOM killer, kill -9, a crashed host): no shutdown at all, a batch may be cut mid-commit and
    /// sends stored whose acks never left. What was acknowledged is there, a resend of anything (acknowledged or not) is
    /// answered with the one stored row, and the phone catches up from the last message it was shown.</summary>
    [Fact]
    public Task Every_acknowledged_message_survives_a_SIGKILL_mid_burst_resends_are_stored_once_and_clients_catch_up_after_the_restart() =>
        StopMidBurstThenRestart(killed: true);

    private async Task StopMidBurstThenRestart(bool killed)
    {
        var env = new Dictionary<string, string>
        {
            ["Database__Provider"] = _database.Provider,
            ["Database__ConnectionString"] = _database.ConnectionString,
            ["Auth__JwtSecret"] = JwtSecret,
            // Sending as fast as the acks come is the point here, not the per-connection and per-person limits.
            ["Realtime__CallsPerSecond"] = "100000",
            ["Realtime__CallBurst"] = "100000",
            ["Limits__MessagesPerSecondPerUser"] = "100000",
            ["Limits__MessageBurstPerUser"] = "100000",
        };
        var server = ServerProcess.StartListening(env, _dir, "--contentRoot", _dir);
        await using var first = server;
        await server.WaitReadyAsync();
        using var anonymous = new HttpClient { BaseAddress = server.Url };
        var login = await (await anonymous.Post("/api/auth/login", new { username = "carl.banks", password = "demo-password" })).Body();
        var carlToken = login.GetProperty("access_token").GetString()!;
        using var carl = new HttpClient { BaseAddress = server.Url };
        carl.DefaultRequestHeaders.Authorization = new("Bearer", carlToken);
        var offer = await carl.CreateOfferWithLinks(107, 120);
        var offerId = offer.GetProperty("id").GetInt32();
        var driverTokens = new Dictionary<int, string>();
        foreach (var d in offer.GetProperty("drivers").EnumerateArray())
        {
            var link = d.GetProperty("link").GetString()!;
            var exchanged = await (await anonymous.Post("/api/driver/auth/exchange", new { code = link[(link.LastIndexOf('/') + 1)..] })).Body();
            driverTokens[d.GetProperty("driver_id").GetInt32()] = exchanged.GetProperty("access_token").GetString()!;
        }
        Sender[] senders =
        [
            new(carlToken, offerId, 107, "carl-107"), new(carlToken, offerId, 120, "carl-120"),
            new(driverTokens[107], offerId, 107, "driver-107"), new(driverTokens[120], offerId, 120, "driver-120"),
        ];

        // Driver 107 also listens, as its phone would, to catch up after the restart from the last message it was shown.
        var listener = await Connect(server.Url!, driverTokens[107]);
        var shown = new ConcurrentQueue<long>();
        listener.On<JsonElement>("new_message", m =>
        {
            if (m.GetProperty("driver_id").GetInt32() == 107)
            {
                shown.Enqueue(m.GetProperty("id").GetInt64());
            }
        });
        var acked = new ConcurrentDictionary<string, long>();
        var unacked = new ConcurrentDictionary<string, Sender>();
        var sending = senders.Select(s => Task.Run(() => SendUntilStopped(server.Url!, s, acked, unacked))).ToArray();
        await DriverData.Eventually(() => acked.Count >= 200, "200 acknowledged sends", 60_000);

        if (killed)
        {
            server.KillNow();
            await Task.WhenAll(sending);
        }
        else
        {
            server.Terminate();
            await Task.WhenAll(sending);
            Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(30)));
            Assert.False(server.Output.Contains("fail:", StringComparison.Ordinal) || server.Output.Contains("crit:", StringComparison.Ordinal),
                $"errors logged:\n{server.Output}");
        }
        await listener.DisposeAsync();

        await using var restarted = ServerProcess.StartListening(server.Url!, env, _dir, "--contentRoot", _dir);
        await restarted.WaitReadyAsync();
        using var carlAgain = new HttpClient { BaseAddress = server.Url };
        carlAgain.DefaultRequestHeaders.Authorization = new("Bearer", carlToken);
        var stored = new Dictionary<long, JsonElement>();
        foreach (var driver in new[] { 107, 120 })
        {
            foreach (var m in await AllMessages(carlAgain, offerId, driver))
            {
                stored[m.GetProperty("id").GetInt64()] = m;
            }
        }
        var missing = acked.Where(a => !stored.ContainsKey(a.Value)).Select(a => a.Key).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} of {acked.Count} acknowledged messages are not stored: {string.Join(", ", missing.Take(10))}");
        foreach (var (clientId, id) in acked)
        {
            Assert.Equal(clientId, stored[id].GetProperty("client_message_id").GetString());
        }

        // The clients resend what was never acknowledged, with the same ids: each is stored once, whether or not it was before.
        foreach (var (clientId, s) in unacked)
        {
            await using var hub = await Connect(server.Url!, s.Token);
            await hub.InvokeAsync<JsonElement>("send_message", new { offer_id = s.OfferId, driver_id = s.DriverId, message = clientId, client_message_id = clientId });
        }
        // A resend of an acknowledged message (its ack lost on the client's side) gets the very row it was acknowledged with.
        foreach (var s in senders)
        {
            var clientId = acked.Keys.Where(k => k.StartsWith(s.Name + "-", StringComparison.Ordinal)).OrderBy(k => acked[k]).LastOrDefault();
            if (clientId is null)
            {
                continue;
            }
            await using var hub = await Connect(server.Url!, s.Token);
            var again = await hub.InvokeAsync<JsonElement>("send_message", new { offer_id = s.OfferId, driver_id = s.DriverId, message = clientId, client_message_id = clientId });
            Assert.Equal(acked[clientId], again.GetProperty("id").GetInt64());
        }
        var after = new List<JsonElement>();
        foreach (var driver in new[] { 107, 120 })
        {
            after.AddRange(await AllMessages(carlAgain, offerId, driver));
        }
        var texts = after.Where(m => m.GetProperty("message_type").GetString() == "text").Select(m => m.GetProperty("client_message_id").GetString()!).ToList();
        Assert.Equal(texts.Count, texts.Distinct().Count());
        Assert.Superset(texts.ToHashSet(), acked.Keys.Concat(unacked.Keys).ToHashSet());

        // The listening phone reconnects and asks for everything after the last message it was shown: nothing is missing.
        Assert.False(shown.IsEmpty, "the phone was shown messages before the stop");
        await using var phone = await Connect(server.Url!, driverTokens[107]);
        var last = shown.Max();
        var caughtUp = new List<long>();
        while (true)
        {
            var page = await phone.InvokeAsync<JsonElement>("get_messages_after", new { offer_id = offerId, driver_id = 107, after_id = last, limit = 200 });
            var ids = page.EnumerateArray().Select(m => m.GetProperty("id").GetInt64()).ToList();
            caughtUp.AddRange(ids);
            if (ids.Count < 200)
            {
                break;
            }
            last = ids[^1];
        }
        var onScreen = shown.Concat(caughtUp).ToList();
        Assert.Equal(onScreen.Distinct().Count(), onScreen.Count);
        var conversation = after.Where(m => m.GetProperty("driver_id").GetInt32() == 107).Select(m => m.GetProperty("id").GetInt64()).ToList();
        Assert.Equal(conversation.Where(id => id >= shown.Min()).Order(), onScreen.Order());
        restarted.Terminate();
        Assert.Equal(0, await restarted.WaitForExitAsync(TimeSpan.FromSeconds(30)));
    }

    /// <summary>Sends one message after another, each once its ack arrived, until the connection goes (the server stops).</summary>
    private static async Task SendUntilStopped(Uri url, Sender s, ConcurrentDictionary<string, long> acked, ConcurrentDictionary<string, Sender> unacked)
    {
        await using var hub = await Connect(url, s.Token);
        for (var i = 0; ; i++)
        {
            var clientId = $"{s.Name}-{i}";
            try
            {
                var m = await hub.InvokeAsync<JsonElement>("send_message", new { offer_id = s.OfferId, driver_id = s.DriverId, message = clientId, client_message_id = clientId });
                acked[clientId] = m.GetProperty("id").GetInt64();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Not acknowledged (refused while stopping, or the connection went): the client will send it again.
                unacked[clientId] = s;
                return;
            }
        }
    }

    private static async Task<HubConnection> Connect(Uri url, string token)
    {
        var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(url, "/hubs/offers"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .AddJsonProtocol(o => ApiJson.Configure(o.PayloadSerializerOptions))
            .Build();
        await hub.StartAsync();
        return hub;
    }

    private static async Task<List<JsonElement>> AllMessages(HttpClient client, int offerId, int driverId)
    {
        var all = new List<JsonElement>();
        long after = 0;
        while (true)
        {
            var response = await client.GetAsync(new Uri($"/api/offers/{offerId}/chat/{driverId}?after_id={after}&limit=200", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = (await response.Body()).EnumerateArray().ToList();
            all.AddRange(page);
            if (page.Count < 200)
            {
                return all;
            }
            after = page[^1].GetProperty("id").GetInt64();
        }
    }
}
