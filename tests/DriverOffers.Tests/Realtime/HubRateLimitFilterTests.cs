using System.Security.Claims;
using DriverOffers.Server.Realtime;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace DriverOffers.Tests.Realtime;

public sealed class HubRateLimitFilterTests
{
    [Fact]
    public async Task A_call_finishing_after_its_connection_closed_leaves_no_bucket_behind()
    {
        var filter = new HubRateLimitFilter(new FakeTimeProvider(), Options.Create(new RealtimeOptions()));
        var caller = new Caller("conn-1");
        var ran = false;

        // The connection closes (SignalR aborts it, then runs OnDisconnectedAsync) while the call is on its way in.
        await caller.CloseAsync(filter);
        await filter.InvokeMethodAsync(Invocation(caller), _ =>
        {
            ran = true;
            return ValueTask.FromResult<object?>(null);
        });

        Assert.True(ran);
        Assert.False(filter.HasBucket("conn-1"));
    }

    [Fact]
    public async Task An_open_connection_keeps_its_bucket_between_calls()
    {
        var filter = new HubRateLimitFilter(new FakeTimeProvider(), Options.Create(new RealtimeOptions { CallBurst = 2, CallsPerSecond = 1 }));
        var caller = new Caller("conn-2");
        static ValueTask<object?> Next(HubInvocationContext _) => ValueTask.FromResult<object?>(null);

        await filter.InvokeMethodAsync(Invocation(caller), Next);
        await filter.InvokeMethodAsync(Invocation(caller), Next);

        Assert.True(filter.HasBucket("conn-2"));
        await Assert.ThrowsAsync<HubException>(async () => await filter.InvokeMethodAsync(Invocation(caller), Next));
    }

    private static HubInvocationContext Invocation(Caller caller) =>
        new(caller, new EmptyServices(), new QuietHub(), typeof(QuietHub).GetMethod(nameof(QuietHub.Ping))!, []);

    private sealed class QuietHub : Hub
    {
        public static void Ping()
        {
        }
    }

    private sealed class EmptyServices : IServiceProvider
    {
        public object? GetService(Type serviceType) => null;
    }

    private sealed class Caller(string connectionId) : HubCallerContext
    {
        private readonly CancellationTokenSource _aborted = new();

        public override string ConnectionId => connectionId;
        public override string? UserIdentifier => null;
        public override ClaimsPrincipal? User => null;
        public override IDictionary<object, object?> Items { get; } = new Dictionary<object, object?>();
        public override IFeatureCollection Features { get; } = new FeatureCollection();
        public override CancellationToken ConnectionAborted => _aborted.Token;

        public override void Abort() => _aborted.Cancel();

        /// <summary>What SignalR does when a connection closes: abort it, then OnDisconnectedAsync.</summary>
        public async Task CloseAsync(HubRateLimitFilter filter)
        {
            Abort();
            await filter.OnDisconnectedAsync(new HubLifetimeContext(this, new EmptyServices(), new QuietHub()), null, (_, _) => Task.CompletedTask);
        }
    }
}
