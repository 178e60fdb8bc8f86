using System.Net;
using System.Net.Http.Json;
using DriverOffers.Server.Features.Auth;
using DriverOffers.Tests.Infrastructure;
using DriverOffers.Tests.Realtime;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;

namespace DriverOffers.Tests.Features.Auth;

/// <summary>Sign-out on one server (its accounts refresh every 30 s, so what happens at once is the sign-out's doing).</summary>
public sealed class LogoutTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    /// <summary>Well under the 30 s refresh: closing at the next refresh is not "at once".</summary>
    private const int AtOnceMs = 10_000;

    [Fact]
    public async Task A_signed_out_token_is_refused_over_REST_and_the_hub_while_the_same_persons_other_token_keeps_working()
    {
        using var laptop = await server.LoginAs("carl.banks");
        using var phone = await server.LoginAs("carl.banks");
        using var copy = server.Client(ServerFixture.TokenOf(laptop));

        var response = await laptop.PostAsync("/api/auth/logout", null);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var refused = await copy.GetAsync("/api/offers");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => server.Connect(ServerFixture.TokenOf(laptop)));
        Assert.Equal(HttpStatusCode.Unauthorized, (await laptop.PostAsync("/api/auth/logout", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await phone.GetAsync("/api/offers")).StatusCode);
    }

    [Fact]
    public async Task Signing_out_closes_the_tokens_open_hub_connections_at_once_and_leaves_the_persons_others_open()
    {
        var signingOut = await server.DispatcherToken("leo.durand");
        await using var first = await server.Connect(signingOut);
        await using var second = await server.Connect(signingOut);
        await using var otherDevice = await server.ConnectDispatcher("leo.durand");
        using var client = server.Client(signingOut);

        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync("/api/auth/logout", null)).StatusCode);

        await DriverData.Eventually(() => first.Hub.State == HubConnectionState.Disconnected, "the first connection closed", AtOnceMs);
        await DriverData.Eventually(() => second.Hub.State == HubConnectionState.Disconnected, "the second connection closed", AtOnceMs);
        await otherDevice.Hub.InvokeAsync<System.Text.Json.JsonElement>("heartbeat", new { });
        Assert.Equal(HubConnectionState.Connected, otherDevice.Hub.State);
    }

    [Fact]
    public async Task A_driver_signs_out_their_token_and_the_socket_auth_check_refuses_it_too()
    {
        var truck = server.AddTrucks(1)[0];
        var token = server.DriverToken(truck);
        using var driver = server.Client(token);
        Assert.Equal(HttpStatusCode.OK, (await driver.GetAsync("/api/offers")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await driver.PostAsync("/api/auth/logout", null)).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await driver.GetAsync("/api/me")).StatusCode);
        using var anonymous = server.Client();
        var check = await anonymous.PostAsJsonAsync("/api/socket/auth", new { token });
        Assert.Equal(HttpStatusCode.Unauthorized, check.StatusCode);
    }

    [Fact]
    public async Task Signing_out_without_a_token_is_refused()
    {
        using var anonymous = server.Client();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/api/auth/logout", null)).StatusCode);
    }

    [Fact]
    public async Task A_sign_out_deletes_the_revoked_ids_whose_tokens_have_expired()
    {
        var expired = Guid.NewGuid().ToString("N");
        await server.ScopedAsync(db =>
        {
            db.RevokedTokens.Add(RevokedToken.Create(expired, DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddDays(-7)));
            return db.SaveChangesAsync();
        });
        using var carl = await server.LoginAs("carl.banks");

        Assert.Equal(HttpStatusCode.NoContent, (await carl.PostAsync("/api/auth/logout", null)).StatusCode);

        var ids = await server.ScopedAsync(db => db.RevokedTokens.Select(r => r.Id).ToListAsync());
        Assert.DoesNotContain(expired, ids);
        Assert.Contains(RevokedToken.IdOf(new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(ServerFixture.TokenOf(carl))), ids);
    }
}

/// <summary>Two servers on one database, each re-reading accounts and sign-outs every second.</summary>
public sealed class LogoutAcrossServersTests(QuickAccountRefreshServerFixture server) : IClassFixture<QuickAccountRefreshServerFixture>
{
    [Fact]
    public async Task A_token_signed_out_on_one_server_is_refused_by_another_and_its_connections_there_close()
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
                "the other server refuses the signed-out token");
            await DriverData.Eventually(() => hubOnOther.Hub.State == HubConnectionState.Disconnected, "its connection on the other server closed");
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => other.Connect(token));
            await carlElsewhere.Hub.InvokeAsync<System.Text.Json.JsonElement>("heartbeat", new { });
        }
        finally
        {
            await other.DisposeAsync();
        }
    }
}
