using DriverOffers.E2E.Infrastructure;
using Microsoft.Playwright;

namespace DriverOffers.E2E.Driver;

/// <summary>The driver app opened in a dead zone: the service worker serves the app, the reads can't go out yet.</summary>
public sealed class NoSignalTests(E2EServer server) : BrowserTest, IClassFixture<E2EServer>
{
    private const int Nwee = 107;

    [Fact]
    public async Task Opened_without_signal_my_offers_say_so_at_once_and_show_up_by_themselves_when_the_signal_is_back()
    {
        using var carl = server.Client(await server.DispatcherToken("carl.banks"));
        var (offerId, links) = await carl.CreateOffer(Nwee);
        var page = await server.NewPage(360, 760);
        await page.GotoAsync(new Uri(links[Nwee]).PathAndQuery);
        await page.Locator($"[data-testid=driver-offer][data-offer-id='{offerId}']").WaitForAsync();
        // Once the worker holds the page, a reload goes through it and leaves the app's files in its cache.
        await page.EvaluateAsync("() => navigator.serviceWorker.ready.then(() => undefined)");
        await page.ReloadAsync();
        await page.WaitLive();

        await page.Context.SetOfflineAsync(true);
        await page.GotoAsync("/driver");
        // Not "Loading…" for the retries' seven seconds, then an error with a Try again that can't work yet.
        await Assertions.Expect(page.GetByTestId("no-signal")).ToHaveTextAsync(
            "No signal. Your offers will show up here as soon as the phone is back online.", new() { Timeout = 3000 });
        await Assertions.Expect(page.GetByText("Loading your offers")).ToHaveCountAsync(0);
        await E2EServer.Screenshot(page, "28-driver-opened-without-signal");

        await page.Context.SetOfflineAsync(false);
        await Assertions.Expect(page.Locator($"[data-testid=driver-offer-row][data-offer-id='{offerId}']")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("no-signal")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Without_signal_the_offer_stops_saying_the_dispatcher_is_online_now_and_says_it_again_once_back()
    {
        var carlToken = await server.DispatcherToken("carl.banks");
        using var carl = server.Client(carlToken);
        await using var carlOnline = await server.Hub(carlToken);
        var (offerId, links) = await carl.CreateOffer(Nwee);
        var page = await server.NewPage(360, 760);
        await page.GotoAsync(new Uri(links[Nwee]).PathAndQuery);
        await page.Locator($"[data-testid=driver-offer][data-offer-id='{offerId}']").WaitForAsync();
        await page.WaitLive();
        var dispatcher = page.Locator(".drv-dispatcher");
        await Assertions.Expect(dispatcher).ToContainTextAsync("Online now");

        // Carl may sign off meanwhile and the phone would not hear it: it says what it can't know.
        await page.Context.SetOfflineAsync(true);
        await Assertions.Expect(dispatcher).ToContainTextAsync("Not known without signal");
        await Assertions.Expect(page.GetByTestId("dispatcher-presence")).ToHaveAttributeAsync("aria-label", "not known");

        await page.Context.SetOfflineAsync(false);
        await Assertions.Expect(dispatcher).ToContainTextAsync("Online now");
    }
}
