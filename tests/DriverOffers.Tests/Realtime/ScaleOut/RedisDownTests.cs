using System.Net;
using System.Text.Json;
using DriverOffers.Server.Common;
using DriverOffers.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace DriverOffers.Tests.Realtime.ScaleOut;

/// <summary>
/// Scale-out configured but Redis not answering yet, on the real process: the server degrades as README and
/// docs/decisions/021 say: it starts, REST works, readiness says Degraded (200) while hub connections are refused
/// (the SignalR backplane subscribes each one in Redis); once Redis answers, hub clients get in; it stops cleanly.
/// </summary>
public sealed class RedisDownTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("driver-offers-redis-down-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task With_redis_down_REST_works_and_readiness_says_degraded_then_hub_clients_get_in_once_redis_is_up_and_SIGTERM_exits_0()
    {
        var redisPort = DatabaseServerProcess.FreePort();
        var env = new Dictionary<string, string>
        {
            ["Auth__JwtSecret"] = "redis-down-secret-redis-down-secret-0123456789",
            ["Redis__ConnectionString"] = $"127.0.0.1:{redisPort}",
            // Sweeps back to back, each waiting on Redis: the stop finds one under way.
            ["Presence__TimeoutSeconds"] = "1",
        };
        await using var server = ServerProcess.StartListening(env, _dir, "--contentRoot", _dir);
        await server.WaitReadyAsync();
        using var http = new HttpClient { BaseAddress = server.Url };
        Assert.Equal("Degraded", await http.GetStringAsync(new Uri("/health/ready", UriKind.Relative)));
        var login = await http.Post("/api/auth/login", new { username = "carl.banks", password = "demo-password" });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var token = (await login.Body()).GetProperty("access_token").GetString()!;
        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var refused = Hub(server.Url!, token);
            await refused.StartAsync();
            await refused.InvokeAsync<JsonElement>("heartbeat", new { });
        });

        var redis = await RedisServer.Start(redisPort);
        try
        {
            await DriverData.Eventually(async () => await http.GetStringAsync(new Uri("/health/ready", UriKind.Relative)) == "Healthy",
                "readiness Healthy once Redis answers", 60_000);
            await using var hub = Hub(server.Url!, token);
            await hub.StartAsync();
            await hub.InvokeAsync<JsonElement>("heartbeat", new { });
        }
        finally
        {
            // Gone again before the stop: the presence sweeps fail while the server stops.
            await redis.DisposeAsync();
        }

        server.Terminate();
        Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.DoesNotContain("BackgroundService failed", server.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("crit:", server.Output, StringComparison.Ordinal);
    }

    private static HubConnection Hub(Uri url, string token) => new HubConnectionBuilder()
        .WithUrl(new Uri(url, "/hubs/offers"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
        .AddJsonProtocol(o => ApiJson.Configure(o.PayloadSerializerOptions))
        .Build();
}
