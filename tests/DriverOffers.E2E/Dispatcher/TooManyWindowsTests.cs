using DriverOffers.E2E.Infrastructure;
using DriverOffers.Server.Common;
using DriverOffers.Server.Features.Auth;
using DriverOffers.Server.Realtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace DriverOffers.E2E.Dispatcher;

/// <summary>The product's server with room for two live windows per person, so a third one is refused.</summary>
public sealed class TwoWindowsPerPersonServer() : E2EServer(new Dictionary<string, string?> { ["Realtime:ConnectionsPerUser"] = "2" });

public sealed class TooManyWindowsTests(TwoWindowsPerPersonServer server) : BrowserTest, IClassFixture<TwoWindowsPerPersonServer>
{
    [Fact]
    public async Task A_window_past_the_connection_limit_says_so_calmly_stops_reconnecting_and_goes_live_on_retry_once_another_closes()
    {
        var first = await server.NewPage();
        await first.SignIn("carl.banks");
        await first.WaitLive();
        // A second tab of the same browser: same session, its own connection.
        var second = await first.Context.NewPageAsync();
        await second.GotoAsync("/");
        await second.WaitLive();

        var third = await first.Context.NewPageAsync();
        var sockets = 0;
        third.WebSocket += (_, _) => Interlocked.Increment(ref sockets);
        await third.GotoAsync("/");

        var notice = third.GetByTestId("too-many-windows");
        await Assertions.Expect(notice).ToBeVisibleAsync();
        await Assertions.Expect(notice).ToContainTextAsync("open in too many windows");
        await Assertions.Expect(third.GetByTestId("connection-status")).ToHaveAttributeAsync("data-status", "refused");
        // The page still works over HTTP: the truck table is there.
        await third.Locator(".ttable-row").First.WaitForAsync();
        await E2EServer.Screenshot(third, "too-many-windows");

        // It does not keep knocking: a retry loop would have opened more sockets by now (its first retry is due in ~1 s).
        await third.WaitForTimeoutAsync(4000);
        Assert.Equal(1, Volatile.Read(ref sockets));
        await Assertions.Expect(third.GetByTestId("connection-status")).ToHaveAttributeAsync("data-status", "refused");
        // The other windows were not disturbed.
        await Assertions.Expect(first.GetByTestId("connection-status")).ToHaveAttributeAsync("data-status", "connected");

        // Closing a window makes room; Retry takes it. The server learns of the closed socket a moment later: Retry
        // before that would be refused again, as it would for a person who clicks at once (they'd press it again).
        await second.CloseAsync();
        await RoomForAnotherWindow(await third.EvaluateAsync<int>("() => JSON.parse(localStorage.getItem('driver-offers.session')).id"));
        await third.GetByRole(AriaRole.Button, new() { Name = "Retry" }).ClickAsync();
        await third.WaitLive();
        await Assertions.Expect(notice).ToBeHiddenAsync();
    }

    /// <summary>The server counts one connection fewer for the dispatcher: one more would be let in (tried and given back).</summary>
    private async Task RoomForAnotherWindow(int dispatcherId)
    {
        var cap = server.Services.GetRequiredService<ConnectionCap>();
        var probe = new Caller(dispatcherId, User.Dispatcher, "");
        await Browser.Eventually(() =>
        {
            if (!cap.TryOpen(probe))
            {
                return false;
            }
            cap.Closed(probe);
            return true;
        }, "the server lets go of the closed window's connection");
    }
}
