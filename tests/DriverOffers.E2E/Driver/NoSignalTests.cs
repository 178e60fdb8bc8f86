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
}
