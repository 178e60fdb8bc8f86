using System.Text.Json;
using DriverOffers.Server.Realtime;
using DriverOffers.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace DriverOffers.Tests.Realtime;

/// <summary>The hub's groups as the one-server lifetime manager keeps them, through real connections.</summary>
public sealed class CompactGroupsLifetimeManagerTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private CompactGroupsLifetimeManager<OffersHub> Groups =>
        Assert.IsType<CompactGroupsLifetimeManager<OffersHub>>(server.Services.GetRequiredService<HubLifetimeManager<OffersHub>>());

    [Fact]
    public async Task A_driver_on_two_devices_hears_each_offer_once_on_each_and_still_hears_after_closing_one()
    {
        using var carl = await server.LoginAs("carl.banks");
        var truck = server.AddTestTrucks(1)[0];
        await using var phone = await server.ConnectDriver(truck);
        await using var laptop = await server.ConnectDriver(truck);
        Assert.Equal(2, Groups.ConnectionsIn(HubGroups.Driver(truck)));

        var first = await carl.CreateOffer(truck);
        await phone.Events.WaitFor("offer_created", EventLog.Offer(first));
        await laptop.Events.WaitFor("offer_created", EventLog.Offer(first));

        await laptop.Hub.StopAsync();
        await HubKit.Eventually(() => Groups.ConnectionsIn(HubGroups.Driver(truck)) == 1);
        var second = await carl.CreateOffer(truck);
        await phone.Events.WaitFor("offer_created", EventLog.Offer(second));
        await HubKit.Settle();

        Assert.Single(phone.Events.All("offer_created", EventLog.Offer(first)));
        Assert.Single(phone.Events.All("offer_created", EventLog.Offer(second)));
        Assert.Single(laptop.Events.All("offer_created", EventLog.Offer(first)));
        Assert.Empty(laptop.Events.All("offer_created", EventLog.Offer(second)));
    }

    [Fact]
    public async Task Closed_connections_leave_every_group_they_were_in()
    {
        using var carlApi = await server.LoginAs("carl.banks");
        var truck = server.AddTestTrucks(1)[0];
        var offer = await carlApi.CreateOffer(truck);
        var conversation = HubGroups.Conversation(offer, truck);
        var before = Groups.ConnectionsIn(HubGroups.Dispatchers);

        for (var i = 0; i < 5; i++)
        {
            await using var carl = await server.ConnectDispatcher("carl.banks");
            await using var driver = await server.ConnectDriver(truck);
            await carl.Hub.InvokeAsync<JsonElement>("join_offer_chat", new { offer_id = offer, driver_id = truck });
            await driver.Hub.InvokeAsync<JsonElement>("join_offer_chat", new { offer_id = offer, driver_id = truck });
            Assert.Equal(2, Groups.ConnectionsIn(conversation));
            Assert.Equal(before + 1, Groups.ConnectionsIn(HubGroups.Dispatchers));
        }

        await HubKit.Eventually(() => Groups.ConnectionsIn(conversation) == 0 && Groups.ConnectionsIn(HubGroups.Driver(truck)) == 0
            && Groups.ConnectionsIn(HubGroups.Dispatchers) == before);
    }

    [Fact]
    public async Task Leaving_a_chat_leaves_only_that_group()
    {
        using var carlApi = await server.LoginAs("carl.banks");
        var truck = server.AddTestTrucks(1)[0];
        var offer = await carlApi.CreateOffer(truck);
        await using var driver = await server.ConnectDriver(truck);
        var conversation = new { offer_id = offer, driver_id = truck };
        await driver.Hub.InvokeAsync<JsonElement>("join_offer_chat", conversation);
        await driver.Hub.InvokeAsync<JsonElement>("join_offer_chat", conversation);
        Assert.Equal(1, Groups.ConnectionsIn(HubGroups.Conversation(offer, truck)));

        await driver.Hub.InvokeAsync<JsonElement>("leave_offer_chat", conversation);

        Assert.Equal(0, Groups.ConnectionsIn(HubGroups.Conversation(offer, truck)));
        Assert.Equal(1, Groups.ConnectionsIn(HubGroups.Driver(truck)));
        var next = await carlApi.CreateOffer(truck);
        await driver.Events.WaitFor("offer_created", EventLog.Offer(next));
    }
}
