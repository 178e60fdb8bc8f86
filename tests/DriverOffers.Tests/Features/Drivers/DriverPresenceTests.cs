using System.Net;
using System.Text.Json;
using DriverOffers.Tests.Infrastructure;
using DriverOffers.Tests.Realtime;

namespace DriverOffers.Tests.Features.Drivers;

/// <summary>A truck table or drivers panel opened now shows who is online now, not only who connects afterwards.</summary>
public sealed class DriverPresenceTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task A_driver_connected_before_the_truck_table_opens_is_listed_online_and_offline_once_gone()
    {
        var truck = server.AddTestTrucks(1)[0];
        using var carl = await server.LoginAs("carl.banks");
        var before = await Driver(carl, truck);
        Assert.False(before.GetProperty("is_online").GetBoolean());

        var phone = await server.ConnectDriver(truck);
        await Until(carl, truck, online: true);
        var one = await Driver(carl, truck);
        Assert.Equal(JsonValueKind.String, one.GetProperty("last_seen").ValueKind);
        Assert.True((await InList(carl, "/api/drivers", truck)).GetProperty("is_online").GetBoolean());
        Assert.True((await InList(carl, "/api/drivers/available", truck)).GetProperty("is_online").GetBoolean());
        Assert.True((await InList(carl, $"/api/drivers/by-ids?ids={truck}", truck)).GetProperty("is_online").GetBoolean());

        await phone.DisposeAsync();
        await Until(carl, truck, online: false);
    }

    private static async Task<JsonElement> Driver(HttpClient client, int truck)
    {
        var response = await client.GetAsync($"/api/drivers/{truck}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Body();
    }

    private static async Task<JsonElement> InList(HttpClient client, string url, int truck)
    {
        var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Body()).GetProperty("drivers").EnumerateArray().Single(d => d.GetProperty("id").GetInt32() == truck);
    }

    private static async Task Until(HttpClient client, int truck, bool online)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((await Driver(client, truck)).GetProperty("is_online").GetBoolean() != online)
        {
            Assert.True(DateTime.UtcNow < deadline, $"truck {truck} never became {(online ? "online" : "offline")} in /api/drivers/{truck}");
            await Task.Delay(50);
        }
    }
}
