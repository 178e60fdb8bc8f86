using System.Net;
using DriverOffers.Tests.Infrastructure;
using DriverOffers.Tests.Realtime;
using Microsoft.AspNetCore.SignalR.Client;

namespace DriverOffers.Tests.Features.Auth;

/// <summary>Accounts re-read every 10 minutes: only the look for sign-outs (every 2 s) can tell another server within moments.</summary>
public sealed class SlowAccountRefreshServerFixture : ServerFixture
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Auth:AccountRefreshSeconds"] = "600" };
}

/// <summary>Two servers sharing only the database (no Redis), as two processes of one site.</summary>
public sealed class SignOutWithoutRedisTests(SlowAccountRefreshServerFixture server) : IClassFixture<SlowAccountRefreshServerFixture>
{
    [Fact]
    public async Task A_token_signed_out_on_one_server_is_refused_and_its_connections_closed_on_the_other_within_seconds()
    {
        var other = await server.StartSibling();
        try
        {
            var token = await server.DispatcherToken("carl.banks");
            using var onOther = other.Client(token);
            Assert.Equal(HttpStatusCode.OK, (await onOther.GetAsync("/api/offers")).StatusCode);
            await using var hubOnOther = await other.Connect(token);
            await using var carlElsewhere = await other.ConnectDispatcher("carl.banks");
            using var here = server.Client(token);

            Assert.Equal(HttpStatusCode.NoContent, (await here.PostAsync("/api/auth/logout", null)).StatusCode);

            await DriverData.Eventually(async () => (await onOther.GetAsync("/api/offers")).StatusCode == HttpStatusCode.Unauthorized,
                "the other server refuses the signed-out token", 5_000);
            await DriverData.Eventually(() => hubOnOther.Hub.State == HubConnectionState.Disconnected, "its connection on the other server closed", 5_000);
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => other.Connect(token));
            await carlElsewhere.Hub.InvokeAsync<System.Text.Json.JsonElement>("heartbeat", new { });
        }
        finally
        {
            await other.DisposeAsync();
        }
    }
}
