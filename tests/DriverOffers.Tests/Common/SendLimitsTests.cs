using System.Globalization;
using System.Net;
using System.Text.Json;
using DriverOffers.Server.Common;
using DriverOffers.Server.Realtime;
using DriverOffers.Tests.Infrastructure;
using DriverOffers.Tests.Realtime;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace DriverOffers.Tests.Common;

/// <summary>The real server with the product's own per-person limits, on a clock the test moves by hand (a bucket
/// refills only when the test says so).</summary>
public sealed class SendLimitsServer : ServerFixture
{
    public static readonly SendLimitOptions Defaults = new();
    public static readonly int ConnectionsPerUser = new RealtimeOptions().ConnectionsPerUser;

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        // The base fixture lifts these for every other class; here they are the defaults.
        ["Limits:MessagesPerSecondPerUser"] = Defaults.MessagesPerSecondPerUser.ToString(CultureInfo.InvariantCulture),
        ["Limits:MessageBurstPerUser"] = Defaults.MessageBurstPerUser.ToString(CultureInfo.InvariantCulture),
        ["Realtime:ConnectionsPerUser"] = ConnectionsPerUser.ToString(CultureInfo.InvariantCulture),
        // The per-connection call limit has its own tests; its bucket would never refill on a frozen clock.
        ["Realtime:CallBurst"] = "100000",
    };

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);
}

public sealed class SendLimitsTests(SendLimitsServer server) : IClassFixture<SendLimitsServer>
{
    private static int Burst => SendLimitsServer.Defaults.MessageBurstPerUser;

    private static string Refusal => $"Too many messages: at most {SendLimitsServer.Defaults.MessagesPerSecondPerUser} per second " +
                                     $"(bursts of {Burst}) per person.";

    private static object Text(int offer, int driver, string message) =>
        new { offer_id = offer, driver_id = driver, message, client_message_id = Guid.NewGuid().ToString("N") };

    private static object Body(string message) => new { message, client_message_id = Guid.NewGuid().ToString("N") };

    private async Task<(HttpClient Carl, int OfferId, int DriverId)> Conversation()
    {
        var carl = await server.LoginAs("carl.banks");
        var driverId = server.AddTrucks(1)[0];
        var offer = await carl.CreateOffer(b => b["driver_ids"] = new[] { driverId });
        return (carl, offer.Id(), driverId);
    }

    private int Stored(int offerId, int driverId) =>
        server.Scoped(db => db.ChatMessages.Count(m => m.OfferId == offerId && m.DriverId == driverId && m.MessageType == "text"));

    [Fact]
    public async Task A_person_sending_past_the_burst_gets_429_with_Retry_After_and_nothing_is_stored_until_the_allowance_refills()
    {
        var (carl, offerId, driverId) = await Conversation();
        using var driver = server.Driver(driverId);
        var url = $"/api/offers/{offerId}/chat/{driverId}";
        for (var i = 0; i < Burst; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await driver.Post(url, Body($"m{i}"))).StatusCode);
        }

        var refused = await driver.Post(url, Body("one too many"));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("1", refused.Headers.GetValues("Retry-After").Single());
        var body = await refused.Body();
        Assert.Equal(1, body.GetProperty("retry_after_seconds").GetInt32());
        Assert.StartsWith(Refusal, body.Str("detail"));
        Assert.Equal(Burst, Stored(offerId, driverId));

        // A second refills the sustained rate.
        server.Clock.Advance(TimeSpan.FromSeconds(1));
        for (var i = 0; i < (int)SendLimitsServer.Defaults.MessagesPerSecondPerUser; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await driver.Post(url, Body($"later {i}"))).StatusCode);
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, (await driver.Post(url, Body("again too many"))).StatusCode);
        carl.Dispose();
    }

    [Fact]
    public async Task Resending_a_stored_message_after_a_reconnect_does_not_use_up_the_allowance()
    {
        var (carl, offerId, driverId) = await Conversation();
        using var driver = server.Driver(driverId);
        var url = $"/api/offers/{offerId}/chat/{driverId}";
        var first = new { message = "first", client_message_id = Guid.NewGuid().ToString("N") };
        Assert.Equal(HttpStatusCode.Created, (await driver.Post(url, first)).StatusCode);
        for (var i = 1; i < Burst - 1; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await driver.Post(url, Body($"m{i}"))).StatusCode);
        }

        // A client that lost its acknowledgements resends what it had pending: the stored message comes back each time.
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await driver.Post(url, first)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Created, (await driver.Post(url, Body("the last one the burst allows"))).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await driver.Post(url, Body("one too many"))).StatusCode);
        Assert.Equal(Burst, Stored(offerId, driverId));
        carl.Dispose();
    }

    [Fact]
    public async Task Every_hub_connection_and_REST_of_one_person_share_one_allowance_which_also_counts_proposal_answers()
    {
        var (carl, offerId, driverId) = await Conversation();
        await using var tab1 = await server.ConnectDriver(driverId);
        await using var tab2 = await server.ConnectDriver(driverId);
        await using var phone = await server.ConnectDriver(driverId);
        Client[] connections = [tab1, tab2, phone];
        for (var i = 0; i < Burst; i++)
        {
            await connections[i % 3].Hub.InvokeAsync<JsonElement>("send_message", Text(offerId, driverId, $"hub {i}"));
        }

        var refused = await Assert.ThrowsAsync<HubException>(() => tab1.Hub.InvokeAsync<JsonElement>("send_message", Text(offerId, driverId, "more")));
        Assert.Contains(Refusal, refused.Message);
        using var driver = server.Driver(driverId);
        Assert.Equal(HttpStatusCode.TooManyRequests,
            (await driver.Post($"/api/offers/{offerId}/chat/{driverId}", Body("by REST"))).StatusCode);
        var counter = await Assert.ThrowsAsync<HubException>(() =>
            phone.Hub.InvokeAsync<JsonElement>("driver_proposal", new { offer_id = offerId, action = "counter", rate = 1900 }));
        Assert.Contains("Too many messages", counter.Message);
        var proposalId = await carl.ProposalId(offerId, driverId);
        Assert.Equal(HttpStatusCode.TooManyRequests,
            (await driver.Put($"/api/proposals/{proposalId}/respond", new { action = "counter", rate = 1900 })).StatusCode);
        Assert.Equal(Burst, Stored(offerId, driverId));
        Assert.Equal("sent", server.Scoped(db => db.Proposals.Single(p => p.Id == proposalId).Status));

        // The dispatcher on the other side has an allowance of their own.
        Assert.Equal(HttpStatusCode.Created,
            (await carl.Post($"/api/offers/{offerId}/chat/{driverId}", Body("Slow down please"))).StatusCode);
        carl.Dispose();
    }

    [Fact]
    public async Task A_person_keeps_at_most_the_allowed_connections_open_and_one_more_is_closed_while_others_connect()
    {
        var driverId = server.AddTrucks(1)[0];
        var open = new List<Client>();
        try
        {
            for (var i = 0; i < SendLimitsServer.ConnectionsPerUser; i++)
            {
                open.Add(await server.ConnectDriver(driverId));
            }

            // The handshake completes before the server refuses the connection: the refusal is its close.
            Assert.False(await TryConnect(driverId, open));

            await using (var someoneElse = await server.ConnectDriver(server.AddTrucks(1)[0]))
            {
                Assert.Equal(HubConnectionState.Connected, someoneElse.Hub.State);
            }

            // Closing one makes room for one (once the server has seen it close).
            await open[0].DisposeAsync();
            open.RemoveAt(0);
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (!await TryConnect(driverId, open))
            {
                Assert.True(DateTime.UtcNow < deadline, "No room for a new connection after one was closed.");
                await Task.Delay(50);
            }
            Assert.Equal(SendLimitsServer.ConnectionsPerUser, open.Count);
        }
        finally
        {
            foreach (var c in open)
            {
                await c.DisposeAsync();
            }
        }
    }

    /// <summary>Connects one more of the driver's connections if the server takes it (false when it is refused).</summary>
    private async Task<bool> TryConnect(int driverId, List<Client> open)
    {
        var token = server.DriverToken(driverId);
        HubConnection? hub = null;
        try
        {
            hub = await server.Hub(token);
            // A refused connection never answers: the server closes it instead.
            await hub.InvokeAsync<JsonElement>("heartbeat", new { }).WaitAsync(TimeSpan.FromSeconds(10));
            open.Add(new Client(token, hub, EventLog.Attach(hub)));
            return true;
        }
        catch (Exception e) when (e is HubException or InvalidOperationException or OperationCanceledException or TimeoutException)
        {
            if (hub is not null)
            {
                await hub.DisposeAsync();
            }
            return false;
        }
    }
}
