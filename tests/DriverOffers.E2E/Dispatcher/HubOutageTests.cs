using System.Text.RegularExpressions;
using DriverOffers.E2E.Infrastructure;
using Microsoft.Playwright;

namespace DriverOffers.E2E.Dispatcher;

/// <summary>
/// The hub goes away while REST still answers (a server restart, a proxy dropping sockets): the browser's socket is
/// closed and refused, its HTTP calls are not.
/// </summary>
public sealed class HubOutageTests(E2EServer server) : BrowserTest, IClassFixture<E2EServer>
{
    [Fact]
    public async Task A_driver_message_sent_while_the_hub_was_down_appears_once_even_after_carl_sent_one_of_his_own_meanwhile()
    {
        using var carl = server.Client(await server.DispatcherToken("carl.banks"));
        var (offerId, links) = await carl.CreateOffer(107);
        using var nwee = server.Client(await server.DriverTokenFromLink(links[107]));

        var page = await server.NewPage();
        var hubDown = false;
        var sockets = new List<IWebSocketRoute>();
        await page.RouteWebSocketAsync(new Regex("/hubs/offers"), ws =>
        {
            if (hubDown)
            {
                _ = ws.CloseAsync();
                return;
            }
            ws.ConnectToServer();
            lock (sockets) sockets.Add(ws);
        });
        var triedAfterOutage = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await page.RouteAsync(new Regex("/hubs/offers/negotiate"), route =>
        {
            if (hubDown)
            {
                return route.AbortAsync();
            }
            triedAfterOutage.TrySetResult();
            return route.ContinueAsync();
        });
        await page.SignIn("carl.banks");
        await page.GotoAsync($"/offers/{offerId}?driver=107");
        await page.WaitLive();
        await page.Locator(".msg-system").First.WaitForAsync();

        hubDown = true;
        IWebSocketRoute[] open;
        lock (sockets) open = [.. sockets];
        foreach (var ws in open)
        {
            await ws.CloseAsync();
        }
        await Assertions.Expect(page.GetByTestId("connection-status")).ToHaveAttributeAsync("data-status", "reconnecting");

        // Nwee writes first; Carl's socket misses it. Carl then sends by REST, which works: his message is stored after hers.
        await nwee.Post($"/api/offers/{offerId}/chat/107", new { message = "Nwee: can I load tonight?", client_message_id = Guid.NewGuid().ToString() });
        var composer = page.GetByRole(AriaRole.Textbox, new() { Name = "Message" });
        await composer.FillAsync("Carl: typed during the outage");
        await composer.PressAsync("Enter");
        await Assertions.Expect(page.Locator(".msg-mine[data-state=sent]", new() { HasText = "typed during the outage" })).ToHaveCountAsync(1);

        // The client's next try comes on its backoff (web/src/lib/realtime/backoff.ts): at most 15 s + 20 % jitter after
        // the last refused one, however long the outage ran (+5 s for a busy machine). Then the connect gets the usual patience.
        triedAfterOutage = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        hubDown = false;
        await triedAfterOutage.Task.WaitAsync(TimeSpan.FromSeconds(18 + 5));
        await Assertions.Expect(page.GetByTestId("connection-status")).ToHaveAttributeAsync("data-status", "connected");
        var hers = page.Locator(".msg-theirs .msg-bubble", new() { HasText = "can I load tonight?" });
        await Assertions.Expect(hers).ToHaveCountAsync(1);
        await page.WaitForTimeoutAsync(1500);
        await Assertions.Expect(hers).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator(".msg-mine .msg-bubble", new() { HasText = "typed during the outage" })).ToHaveCountAsync(1);
    }
}
