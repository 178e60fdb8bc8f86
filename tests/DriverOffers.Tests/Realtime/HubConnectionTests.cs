using System.Net;
using System.Text.Json;
using DriverOffers.Server.Common;
using DriverOffers.Server.Realtime;
using DriverOffers.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.Extensions.DependencyInjection;

namespace DriverOffers.Tests.Realtime;

public sealed class HubConnectionTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Connecting_without_a_token_is_refused()
    {
        var hub = new HubConnectionBuilder().WithUrl(new Uri(server.BaseAddress, "/hubs/offers")).Build();
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => hub.StartAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
    }

    [Fact]
    public async Task A_websocket_with_the_token_in_the_access_token_query_is_accepted()
    {
        var token = await server.DispatcherToken("carl.banks");
        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(server.BaseAddress, $"/hubs/offers?access_token={token}"), HttpTransportType.WebSockets)
            .AddJsonProtocol(o => ApiJson.Configure(o.PayloadSerializerOptions))
            .Build();
        await hub.StartAsync();
        var beat = await hub.InvokeAsync<JsonElement>("heartbeat", new { });
        Assert.True(beat.GetProperty("server_time").GetDateTime() > DateTime.MinValue);
    }

    [Theory]
    [InlineData("\"x\"", "one JSON object argument")]
    [InlineData("{}", "offer_id is required")]
    [InlineData("{\"offer_id\": 1}", "driver_id is required")]
    [InlineData("{\"offer_id\": \"abc\", \"driver_id\": 107}", "offer_id has the wrong type")]
    [InlineData("{\"offer_id\": 1, \"driver_id\": 107, \"sender_id\": 5}", "Unknown property 'sender_id'")]
    [InlineData("{\"offer_id\": 999999, \"driver_id\": 107}", "Not found")]
    [InlineData("{\"offer_id\": 1, \"driver_id\": 107, \"driver_id\": 120}", "driver_id is given more than once.")]
    public async Task Malformed_calls_get_a_clear_error_and_the_connection_stays_usable(string argument, string expected)
    {
        await using var carl = await server.ConnectDispatcher("carl.banks");
        var arg = JsonDocument.Parse(argument).RootElement;

        var error = await Assert.ThrowsAsync<HubException>(() => carl.Hub.InvokeAsync<JsonElement>("join_offer_chat", arg));

        Assert.True(error.Message.Contains(expected, StringComparison.Ordinal), error.Message);
        Assert.Equal(HubConnectionState.Connected, carl.Hub.State);
        await carl.Hub.InvokeAsync<JsonElement>("heartbeat", new { });
    }

    [Theory]
    [InlineData("join_offer_chat")]
    [InlineData("heartbeat")]
    public async Task A_call_with_the_wrong_number_of_arguments_says_what_the_method_takes(string method)
    {
        await using var carl = await server.ConnectDispatcher("carl.banks");
        object?[] args = [12, 107];

        var error = await Assert.ThrowsAsync<HubException>(() => carl.Hub.InvokeCoreAsync<JsonElement>(method, args));

        Assert.EndsWith($"Wrong arguments: {method} takes exactly one argument, a JSON object ({{}} when there is nothing to say); see docs/protocol.md.",
            error.Message, StringComparison.Ordinal);
        Assert.Equal(HubConnectionState.Connected, carl.Hub.State);
        await carl.Hub.InvokeAsync<JsonElement>("heartbeat", new { });
    }

    [Fact]
    public async Task A_call_without_an_argument_or_with_null_reads_as_an_empty_object()
    {
        await using var carl = await server.ConnectDispatcher("carl.banks");

        var bare = await carl.Hub.InvokeCoreAsync<JsonElement>("heartbeat", []);
        var withNull = await carl.Hub.InvokeCoreAsync<JsonElement>("heartbeat", [null]);
        var missing = await Assert.ThrowsAsync<HubException>(() => carl.Hub.InvokeCoreAsync<JsonElement>("join_offer_chat", []));

        Assert.True(bare.GetProperty("server_time").GetDateTime() > DateTime.MinValue);
        Assert.Equal(60, withNull.GetProperty("timeout_seconds").GetInt32());
        Assert.EndsWith("offer_id is required: a positive integer.", missing.Message, StringComparison.Ordinal);
        Assert.Equal(HubConnectionState.Connected, carl.Hub.State);
    }

    [Fact]
    public async Task A_bare_id_is_read_as_the_one_id_a_method_takes()
    {
        using var carlApi = await server.LoginAs("carl.banks");
        var offer = await carlApi.CreateOffer(107);
        await using var carl = await server.ConnectDispatcher("carl.banks");
        await using var d107 = await server.ConnectDriver(107);
        var message = await d107.Hub.InvokeAsync<JsonElement>("send_message",
            new { offer_id = offer, driver_id = 107, message = "Loaded", client_message_id = Guid.NewGuid().ToString("N") });
        var messageId = message.GetProperty("id").GetInt64();

        var details = await carl.Hub.InvokeAsync<JsonElement>("get_offer_details", offer);
        var read = await carl.Hub.InvokeAsync<JsonElement>("mark_message_read", messageId);
        var text = await Assert.ThrowsAsync<HubException>(() => carl.Hub.InvokeAsync<JsonElement>("get_offer_details", "abc"));

        Assert.Equal(offer, details.GetProperty("id").GetInt32());
        Assert.Equal(messageId, read.GetProperty("up_to_id").GetInt64());
        Assert.True(server.Scoped(db => db.ChatMessages.Single(m => m.Id == messageId).IsRead));
        Assert.Contains("one JSON object argument", text.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_method_is_refused_and_the_connection_stays_usable()
    {
        await using var carl = await server.ConnectDispatcher("carl.banks");
        var error = await Assert.ThrowsAsync<HubException>(() => carl.Hub.InvokeAsync("drop_tables", new { }));
        Assert.Contains("drop_tables", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("Method does not exist.", error.Message, StringComparison.Ordinal);
        await carl.Hub.InvokeAsync<JsonElement>("heartbeat", new { });
    }

    [Fact]
    public async Task A_closed_connection_leaves_no_rate_limit_state_behind()
    {
        var limiter = server.Services.GetRequiredService<HubRateLimitFilter>();
        var driver = await server.ConnectDriver(107);
        await driver.Hub.InvokeAsync<JsonElement>("heartbeat", new { });
        var id = driver.Hub.ConnectionId!;
        Assert.True(limiter.HasBucket(id));

        await driver.DisposeAsync();

        await HubKit.Eventually(() => !limiter.HasBucket(id));
    }
}

/// <summary>A small allowance, so the test can pass it quickly on any machine; the product's own numbers are in
/// <see cref="RealtimeOptions"/>.</summary>
public sealed class HubCallLimitTests(HubCallLimitTests.Fixture server) : IClassFixture<HubCallLimitTests.Fixture>
{
    public sealed class Fixture : ServerFixture
    {
        public const int Burst = 20;
        public const int PerSecond = 1;

        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Realtime:CallBurst"] = Burst.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Realtime:CallsPerSecond"] = PerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    [Fact]
    public async Task Calls_beyond_the_burst_are_refused_for_that_connection_only()
    {
        // What the bucket refills from its first call on is allowed for, so a slow database (heartbeats write the
        // session's last_seen) can't make this fail.
        const int sent = 100;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await using var noisy = await server.ConnectDriver(107);
        await using var calm = await server.ConnectDriver(120);
        var calls = Enumerable.Range(0, sent).Select(_ => noisy.Hub.InvokeAsync<JsonElement>("heartbeat", new { })).ToList();
        var results = await Task.WhenAll(calls.Select(async c =>
        {
            try
            {
                await c;
                return null;
            }
            catch (HubException e)
            {
                return e.Message;
            }
        }));

        var elapsed = clock.Elapsed;
        var refused = results.Where(r => r is not null).ToList();
        // One less than the burst: connecting made one call (HubKit.Connect's heartbeat).
        const int burst = Fixture.Burst - 1;
        Assert.InRange(sent - refused.Count, burst, burst + (int)Math.Ceiling(elapsed.TotalSeconds * Fixture.PerSecond) + 2);
        Assert.NotEmpty(refused);
        Assert.All(refused, m => Assert.Contains("Too many calls", m, StringComparison.Ordinal));
        await calm.Hub.InvokeAsync<JsonElement>("heartbeat", new { });
        Assert.Equal(HubConnectionState.Connected, noisy.Hub.State);
    }
}
