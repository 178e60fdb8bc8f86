using System.Net;
using DriverOffers.Server.Data;
using DriverOffers.Server.Features.Auth;
using DriverOffers.Tests.Infrastructure;
using DriverOffers.Tests.Realtime;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace DriverOffers.Tests.Features.Auth;

/// <summary>The server re-reads which accounts are active every second here (30 s by default).</summary>
public sealed class QuickAccountRefreshServerFixture : ServerFixture
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Auth:AccountRefreshSeconds"] = "1" };
}

public sealed class DisabledAccountTests(QuickAccountRefreshServerFixture server) : IClassFixture<QuickAccountRefreshServerFixture>
{
    private static int _nextUserId = 70_000;

    [Fact]
    public async Task A_dispatcher_disabled_in_the_users_table_loses_access_with_the_token_they_already_have()
    {
        var (id, token) = AddUser(User.Dispatcher);
        using var client = server.Client(token);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/offers")).StatusCode);
        await using (var hub = await server.Connect(token))
        {
            Assert.NotNull(hub.Hub.ConnectionId);
        }

        server.ExecuteLegacySql($"UPDATE [users] SET [is_active] = FALSE WHERE [id] = {id}");

        await DriverData.Eventually(async () => (await client.GetAsync("/api/offers")).StatusCode == HttpStatusCode.Unauthorized, "the disabled dispatcher refused");
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => server.Connect(token));
    }

    [Fact]
    public async Task The_open_hub_connections_of_a_disabled_account_are_closed_and_others_stay_open()
    {
        var (id, token) = AddUser(User.Dispatcher);
        var truck = server.AddTrucks(1)[0];
        await using var dispatcher = await server.Connect(token);
        await using var driver = await server.ConnectDriver(truck);
        await using var carl = await server.ConnectDispatcher("carl.banks");

        server.ExecuteLegacySql($"UPDATE [users] SET [is_active] = FALSE WHERE [id] = {id}");
        server.ExecuteLegacySql($"UPDATE [Trucks] SET [isActive] = FALSE WHERE [ID] = {truck}");

        // Closed by the server: the client's reconnects are then refused.
        await DriverData.Eventually(() => dispatcher.Hub.State != HubConnectionState.Connected, "the disabled dispatcher's connection closed");
        await DriverData.Eventually(() => driver.Hub.State != HubConnectionState.Connected, "the inactive truck's driver's connection closed");
        await carl.Hub.InvokeAsync<System.Text.Json.JsonElement>("heartbeat", new { });
        Assert.Equal(HubConnectionState.Connected, carl.Hub.State);
    }

    [Fact]
    public async Task A_manager_demoted_to_dispatcher_no_longer_sees_other_dispatchers_offers()
    {
        using var carl = await server.LoginAs("carl.banks");
        var tag = Guid.NewGuid().ToString("N")[..8];
        var carls = await carl.CreateOffer(b => b["notes"] = $"carl {tag}");
        var (id, token) = AddUser(User.Manager);
        using var client = server.Client(token);
        async Task<int> Seen() => (await (await client.GetAsync($"/api/offers?q={tag}")).Body()).GetArrayLength();
        Assert.Equal(1, await Seen());

        server.ExecuteLegacySql($"UPDATE [users] SET [role] = 'dispatcher' WHERE [id] = {id}");

        await DriverData.Eventually(async () => await Seen() == 0, "the demoted manager sees only their own offers");
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/offers/{carls.Id()}")).StatusCode);
    }

    [Fact]
    public async Task A_truck_taken_out_of_the_fleet_loses_access_with_its_drivers_token()
    {
        var truck = server.AddTrucks(1)[0];
        using var driver = server.Driver(truck);
        Assert.Equal(HttpStatusCode.OK, (await driver.GetAsync("/api/offers")).StatusCode);

        server.ExecuteLegacySql($"UPDATE [Trucks] SET [isActive] = FALSE WHERE [ID] = {truck}");

        await DriverData.Eventually(async () => (await driver.GetAsync("/api/offers")).StatusCode == HttpStatusCode.Unauthorized, "the driver of the inactive truck refused");
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => server.ConnectDriver(truck));
    }

    [Fact]
    public async Task A_truck_or_a_user_deleted_from_the_legacy_tables_loses_access_and_their_open_connections_close()
    {
        var truck = server.AddTrucks(1)[0];
        var (userId, userToken) = AddUser(User.Dispatcher);
        using var driver = server.Driver(truck);
        using var dispatcher = server.Client(userToken);
        Assert.Equal(HttpStatusCode.OK, (await driver.GetAsync("/api/offers")).StatusCode);
        await using var driverHub = await server.ConnectDriver(truck);
        await using var dispatcherHub = await server.Connect(userToken);
        await using var carl = await server.ConnectDispatcher("carl.banks");

        server.ExecuteLegacySql($"DELETE FROM [Trucks] WHERE [ID] = {truck}");
        server.ExecuteLegacySql($"DELETE FROM [users] WHERE [id] = {userId}");

        await DriverData.Eventually(async () => (await driver.GetAsync("/api/offers")).StatusCode == HttpStatusCode.Unauthorized, "the deleted truck's driver refused");
        Assert.Equal(HttpStatusCode.Unauthorized, (await dispatcher.GetAsync("/api/offers")).StatusCode);
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => server.ConnectDriver(truck));
        await DriverData.Eventually(() => driverHub.Hub.State != HubConnectionState.Connected, "the deleted truck's driver's connection closed");
        await DriverData.Eventually(() => dispatcherHub.Hub.State != HubConnectionState.Connected, "the deleted dispatcher's connection closed");
        await carl.Hub.InvokeAsync<System.Text.Json.JsonElement>("heartbeat", new { });
        Assert.Equal(HubConnectionState.Connected, carl.Hub.State);
    }

    [Fact]
    public async Task A_driver_of_a_truck_added_after_the_last_refresh_signs_in_and_stays_connected()
    {
        // Not in the snapshot yet: asked for directly.
        var truck = server.AddTrucks(1)[0];
        using var driver = server.Driver(truck);
        Assert.Equal(HttpStatusCode.OK, (await driver.GetAsync("/api/offers")).StatusCode);
        await using var hub = await server.ConnectDriver(truck);
        // Past the next refresh or two, which must know the truck by then.
        await Task.Delay(2500);
        await hub.Hub.InvokeAsync<System.Text.Json.JsonElement>("heartbeat", new { });
        Assert.Equal(HubConnectionState.Connected, hub.Hub.State);
    }

    private (int Id, string Token) AddUser(string role)
    {
        var id = Interlocked.Increment(ref _nextUserId);
        var user = new User(id, $"user{id}", $"user{id}@example.com", "$2y$10$notusedbythistest", $"User {id}", null, role, isActive: true, DateTime.UtcNow);
        server.Scoped(db =>
        {
            db.Users.Add(user);
            return db.SaveChanges();
        });
        return (id, server.Services.GetRequiredService<TokenService>().ForUser(user).Token);
    }
}
