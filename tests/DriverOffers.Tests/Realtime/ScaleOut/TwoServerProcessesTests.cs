using System.Text.Json;
using DriverOffers.Server.Common;
using DriverOffers.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace DriverOffers.Tests.Realtime.ScaleOut;

/// <summary>
/// The README's scale-out as an operator runs it: two server processes, one database (the run's), one Redis, one JWT
/// secret; clients on either. One of them is stopped (SIGTERM) and started again while the other keeps serving.
/// </summary>
public sealed class TwoServerProcessesTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("driver-offers-two-servers-").FullName;
    private TestDatabase _database = null!;
    private RedisServer _redis = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(TestDatabase.Selected, _dir);
        _redis = await RedisServer.Start();
    }

    public async Task DisposeAsync()
    {
        await _redis.DisposeAsync();
        await _database.DisposeAsync();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private static Func<JsonElement, bool> Presence(int truck, bool online) => e =>
        e.GetProperty("user_type").GetString() == "driver" && e.GetProperty("user_id").GetInt32() == truck && e.GetProperty("is_online").GetBoolean() == online;

    [Fact]
    public async Task Messages_and_presence_cross_servers_and_one_server_stopping_leaves_the_others_users_online()
    {
        var env = new Dictionary<string, string>
        {
            ["Database__Provider"] = _database.Provider,
            ["Database__ConnectionString"] = _database.ConnectionString,
            ["Auth__JwtSecret"] = "two-servers-secret-two-servers-secret-0123456789",
            ["Redis__ConnectionString"] = _redis.ConnectionString,
            ["Redis__ChannelPrefix"] = "two-" + Guid.NewGuid().ToString("N")[..8],
            ["Realtime__CallBurst"] = "1000",
        };
        var dirA = Directory.CreateDirectory(Path.Combine(_dir, "a")).FullName;
        var dirB = Directory.CreateDirectory(Path.Combine(_dir, "b")).FullName;
        var a = ServerProcess.StartListening(env, dirA, "--contentRoot", dirA);
        await using var firstA = a;
        await a.WaitReadyAsync();
        await using var b = ServerProcess.StartListening(env, dirB, "--contentRoot", dirB);
        await b.WaitReadyAsync();

        using var carlApi = new HttpClient { BaseAddress = a.Url };
        var login = await (await carlApi.Post("/api/auth/login", new { username = "carl.banks", password = "demo-password" })).Body();
        var carlToken = login.GetProperty("access_token").GetString()!;
        carlApi.DefaultRequestHeaders.Authorization = new("Bearer", carlToken);
        var offer = await carlApi.CreateOfferWithLinks(107, 120);
        var offerId = offer.GetProperty("id").GetInt32();
        var driverToken = new Dictionary<int, string>();
        using var onB = new HttpClient { BaseAddress = b.Url };
        foreach (var d in offer.GetProperty("drivers").EnumerateArray())
        {
            var link = d.GetProperty("link").GetString()!;
            var exchanged = await (await onB.Post("/api/driver/auth/exchange", new { code = link[(link.LastIndexOf('/') + 1)..] })).Body();
            driverToken[d.GetProperty("driver_id").GetInt32()] = exchanged.GetProperty("access_token").GetString()!;
        }

        await using var carlOnA = await Connect(a.Url!, carlToken);
        await using var carlOnB = await Connect(b.Url!, carlToken);
        await using var driver107OnB = await Connect(b.Url!, driverToken[107]);
        var driver120OnA = await Connect(a.Url!, driverToken[120]);
        await carlOnA.Events.WaitFor("presence_changed", Presence(107, online: true));

        var fromA = await carlOnA.Hub.InvokeAsync<JsonElement>("send_message", new { offer_id = offerId, driver_id = 107, message = "sent on A", client_message_id = "a-1" });
        await driver107OnB.Events.WaitFor("new_message", m => m.GetProperty("id").GetInt64() == fromA.GetProperty("id").GetInt64());
        var fromB = await driver107OnB.Hub.InvokeAsync<JsonElement>("send_message", new { offer_id = offerId, driver_id = 107, message = "sent on B", client_message_id = "b-1" });
        await carlOnA.Events.WaitFor("new_message", m => m.GetProperty("id").GetInt64() == fromB.GetProperty("id").GetInt64());
        Assert.True(await IsOnline(carlOnB, offerId, 120), "a driver connected to A is online as B sees it");

        a.Terminate();
        Assert.Equal(0, await a.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        await driver120OnA.DisposeAsync();
        // Its own clients went offline with it; the other server's did not.
        await carlOnB.Events.WaitFor("presence_changed", Presence(120, online: false));
        Assert.False(await IsOnline(carlOnB, offerId, 120));
        Assert.True(await IsOnline(carlOnB, offerId, 107));
        Assert.Empty(carlOnB.Events.All("presence_changed", Presence(107, online: false)));

        // A comes back where its clients knew it; they reconnect and talk across servers again.
        await using var restartedA = ServerProcess.StartListening(a.Url!, env, dirA, "--contentRoot", dirA);
        await restartedA.WaitReadyAsync();
        await using var carlBackOnA = await Connect(a.Url!, carlToken);
        var again = await carlBackOnA.Hub.InvokeAsync<JsonElement>("send_message", new { offer_id = offerId, driver_id = 107, message = "A is back", client_message_id = "a-2" });
        await driver107OnB.Events.WaitFor("new_message", m => m.GetProperty("id").GetInt64() == again.GetProperty("id").GetInt64());
        Assert.True(await IsOnline(carlBackOnA, offerId, 107), "a restarted server sees the other server's users online");
        restartedA.Terminate();
        Assert.Equal(0, await restartedA.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        b.Terminate();
        Assert.Equal(0, await b.WaitForExitAsync(TimeSpan.FromSeconds(60)));
    }

    private static async Task<bool> IsOnline(Client dispatcher, int offerId, int driverId)
    {
        var joined = await dispatcher.Hub.InvokeAsync<JsonElement>("join_offer_chat", new { offer_id = offerId, driver_id = driverId });
        return joined.GetProperty("counterpart").GetProperty("is_online").GetBoolean();
    }

    private static async Task<Client> Connect(Uri url, string token)
    {
        var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(url, "/hubs/offers"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .AddJsonProtocol(o => ApiJson.Configure(o.PayloadSerializerOptions))
            .Build();
        var events = EventLog.Attach(hub);
        await hub.StartAsync();
        // Returns after OnConnectedAsync: the connection is in its groups and counted online.
        await hub.InvokeAsync<JsonElement>("heartbeat", new { });
        _ = KeepBeating(hub);
        return new Client(token, hub, events);
    }

    /// <summary>
    /// Beats as the web app does (well within the 60 s presence timeout) until the connection closes: with two process
    /// starts and a restart, a loaded machine takes minutes over this test, and a client that beat only when it
    /// connected was rightly swept offline before the last check (seen on PostgreSQL).
    /// </summary>
    private static async Task KeepBeating(HubConnection hub)
    {
        while (true)
        {
            await Task.Delay(TimeSpan.FromSeconds(10));
            try
            {
                await hub.InvokeAsync<JsonElement>("heartbeat", new { });
            }
            catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException or OperationCanceledException or IOException
                                          or Microsoft.AspNetCore.SignalR.HubException)
            {
                // Closed (its server stopped, or the test is done with it): nothing left to keep online.
                return;
            }
        }
    }
}
