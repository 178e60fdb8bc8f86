using System.Text.Json;
using DriverOffers.Server.Common;
using DriverOffers.Server.Realtime;
using DriverOffers.Tests.Infrastructure;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DriverOffers.Tests.Realtime;

/// <summary>The server's own logging defaults (SignalR's dispatcher and connection handler included), with this filter's
/// refusals visible; two hub connections per person.</summary>
public sealed class HubRefusalLoggingServerFixture : ServerFixture
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:DriverOffers.Server.Realtime.HubErrorFilter"] = "Debug",
        ["Realtime:CallBurst"] = "3",
        ["Realtime:CallsPerSecond"] = "0.01",
        ["Realtime:ConnectionsPerUser"] = "2",
    };
}

public sealed class HubErrorFilterTests(HubRefusalLoggingServerFixture server) : IClassFixture<HubRefusalLoggingServerFixture>
{
    [Fact]
    public async Task Refused_calls_are_logged_at_debug_without_a_stack_trace_and_nothing_at_error()
    {
        var capture = new CapturingLoggerProvider();
        server.Services.GetRequiredService<ILoggerFactory>().AddProvider(capture);
        await using var carl = await server.ConnectDispatcher("carl.banks");

        await Assert.ThrowsAsync<HubException>(() => carl.Hub.InvokeAsync<JsonElement>("join_offer_chat", new { offer_id = 999999, driver_id = 107 }));
        await Assert.ThrowsAsync<HubException>(() => carl.Hub.InvokeAsync<JsonElement>("join_offer_chat", new { offer_id = 1 }));
        // The burst is 3 (heartbeat on connect, two refusals): this one is over the rate limit.
        await Assert.ThrowsAsync<HubException>(() => carl.Hub.InvokeAsync<JsonElement>("heartbeat", new { }));

        var entries = capture.Entries.ToList();
        Assert.DoesNotContain(entries, e => e.Level >= LogLevel.Error);
        Assert.DoesNotContain(entries, e => e.Category.StartsWith("Microsoft.AspNetCore.SignalR.Internal.DefaultHubDispatcher", StringComparison.Ordinal));
        var refusals = entries.Where(e => e.Category == typeof(HubErrorFilter).FullName).ToList();
        Assert.Equal(3, refusals.Count);
        Assert.All(refusals, e => Assert.Equal(LogLevel.Debug, e.Level));
        Assert.All(refusals, e => Assert.Null(e.Exception));
        Assert.Contains(refusals, e => e.Message.Contains("join_offer_chat", StringComparison.Ordinal) && e.Message.Contains("Not found", StringComparison.Ordinal));
        Assert.Contains(refusals, e => e.Message.Contains("Too many calls", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_connection_past_the_per_person_limit_is_one_information_line_without_a_stack_and_nothing_at_error()
    {
        var capture = new CapturingLoggerProvider();
        server.Services.GetRequiredService<ILoggerFactory>().AddProvider(capture);
        var driverId = server.AddTrucks(1)[0];
        await using var first = await server.ConnectDriver(driverId);
        await using var second = await server.ConnectDriver(driverId);

        await using var third = new HubConnectionBuilder()
            .WithUrl(new Uri(server.BaseAddress, "/hubs/offers"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(server.DriverToken(driverId)))
            .AddJsonProtocol(o => ApiJson.Configure(o.PayloadSerializerOptions))
            .Build();
        var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        third.Closed += e =>
        {
            closed.TrySetResult(e);
            return Task.CompletedTask;
        };
        await third.StartAsync();
        // The server logs before it sends the close, so the log is complete once the client has it.
        var refusal = await closed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Contains(ConnectionCap.RefusalStart, refusal?.Message, StringComparison.Ordinal);

        var entries = capture.Entries.ToList();
        Assert.DoesNotContain(entries, e => e.Level >= LogLevel.Error);
        var line = Assert.Single(entries, e => e.Message.Contains(ConnectionCap.RefusalStart, StringComparison.Ordinal));
        Assert.Equal(typeof(HubErrorFilter).FullName, line.Category);
        Assert.Equal(LogLevel.Information, line.Level);
        Assert.Null(line.Exception);
    }

    [Fact]
    public async Task A_client_closed_for_a_message_over_the_size_limit_is_one_warning_naming_the_limit()
    {
        var capture = new CapturingLoggerProvider();
        server.Services.GetRequiredService<ILoggerFactory>().AddProvider(capture);
        await using var carl = await server.ConnectDispatcher("carl.banks");
        var connectionId = carl.Hub.ConnectionId!;
        var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        carl.Hub.Closed += e =>
        {
            closed.TrySetResult(e);
            return Task.CompletedTask;
        };

        // 40,000 characters: over the hub's 32 KB message limit, which the server meets by closing the connection.
        _ = carl.Hub.InvokeAsync<JsonElement>("send_message", new { offer_id = 1, driver_id = 107, message = new string('x', 40_000) });
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // The server logs after it has sent the close.
        await DriverData.Eventually(() => capture.Entries.Any(e => e.Level == LogLevel.Warning), "the warning");
        var line = Assert.Single(capture.Entries, e => e.Level == LogLevel.Warning);
        Assert.Equal(typeof(HubErrorFilter).FullName, line.Category);
        Assert.Contains("maximum message size", line.Message, StringComparison.Ordinal);
        Assert.Contains(connectionId, line.Message, StringComparison.Ordinal);
        Assert.Null(line.Exception);
        Assert.DoesNotContain(capture.Entries, e => e.Level >= LogLevel.Error);
    }

    [Fact]
    public async Task A_real_failure_is_logged_at_error_with_its_exception_and_stays_hidden_from_the_caller()
    {
        var capture = new CapturingLoggerProvider();
        using var factory = new LoggerFactory([capture]);
        var filter = new HubErrorFilter(factory.CreateLogger<HubErrorFilter>());
        var boom = new InvalidOperationException("connection string has a typo");

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await filter.InvokeMethodAsync(Invocation(), _ => throw boom));

        Assert.Same(boom, thrown);
        var entry = Assert.Single(capture.Entries);
        Assert.Equal(LogLevel.Error, entry.Level);
        Assert.Same(boom, entry.Exception);
        Assert.Contains("heartbeat_now", entry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_connect_that_fails_for_real_is_still_logged_at_error_with_its_exception()
    {
        var capture = new CapturingLoggerProvider();
        using var factory = new LoggerFactory([capture]);
        var filter = new HubErrorFilter(factory.CreateLogger<HubErrorFilter>());
        var boom = new InvalidOperationException("Redis is unreachable");
        var context = new HubLifetimeContext(new Caller(), new ServiceCollection().BuildServiceProvider(), new EmptyHub());

        Assert.Same(boom, await Assert.ThrowsAsync<InvalidOperationException>(() => filter.OnConnectedAsync(context, _ => throw boom)));

        var entry = Assert.Single(capture.Entries);
        Assert.Equal(LogLevel.Error, entry.Level);
        Assert.Same(boom, entry.Exception);
    }

    private static HubInvocationContext Invocation() =>
        new(new Caller(), new ServiceCollection().BuildServiceProvider(), new EmptyHub(),
            typeof(EmptyHub).GetMethod(nameof(EmptyHub.Heartbeat))!, []);

    private sealed class EmptyHub : Hub
    {
        [HubMethodName("heartbeat_now")]
        public void Heartbeat() { }
    }

    private sealed class Caller : HubCallerContext
    {
        public override string ConnectionId => "c1";
        public override string? UserIdentifier => null;
        public override System.Security.Claims.ClaimsPrincipal? User => null;
        public override IDictionary<object, object?> Items { get; } = new Dictionary<object, object?>();
        public override IFeatureCollection Features { get; } = new FeatureCollection();
        public override CancellationToken ConnectionAborted => CancellationToken.None;
        public override void Abort() { }
    }
}
