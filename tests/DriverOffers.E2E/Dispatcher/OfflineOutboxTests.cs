using System.Collections.Concurrent;
using System.Text.Json;
using DriverOffers.E2E.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Playwright;

namespace DriverOffers.E2E.Dispatcher;

public sealed class OfflineOutboxTests(E2EServer server) : BrowserTest, IClassFixture<E2EServer>
{
    [Fact]
    public async Task Messages_typed_while_offline_reach_the_driver_exactly_once_when_back_online()
    {
        using var carl = server.Client(await server.DispatcherToken("carl.banks"));
        var (offerId, links) = await carl.CreateOffer(107);
        using var nwee = server.Client(await server.DriverTokenFromLink(links[107]));
        await using var nweeHub = await server.Hub(E2EServerTokens.Of(nwee));
        var received = new ConcurrentQueue<JsonElement>();
        nweeHub.On<JsonElement>("new_message", m =>
        {
            if (m.GetProperty("sender_type").GetString() == "dispatcher" && m.GetProperty("message_type").GetString() == "text")
            {
                received.Enqueue(m);
            }
        });

        var page = await server.NewPage();
        await page.SignIn("carl.banks");
        await page.GotoAsync($"/offers/{offerId}?driver=107");
        await page.WaitLive();
        await page.Locator(".msg-system").First.WaitForAsync();

        await page.Context.SetOfflineAsync(true);
        await Assertions.Expect(page.GetByTestId("connection-status")).ToHaveAttributeAsync("data-status", "offline");
        var composer = page.GetByRole(AriaRole.Textbox, new() { Name = "Message" });
        foreach (var text in new[] { "First, typed offline", "Second, typed offline" })
        {
            await composer.FillAsync(text);
            await composer.PressAsync("Enter");
        }
        await Assertions.Expect(page.Locator(".msg-mine[data-state=pending]")).ToHaveCountAsync(2);
        await page.WaitForTimeoutAsync(1500);
        Assert.Empty(received);
        await E2EServer.Screenshot(page, "07-offline-outbox");

        await page.Context.SetOfflineAsync(false);
        await Assertions.Expect(page.Locator(".msg-mine[data-state=pending]")).ToHaveCountAsync(0, new() { Timeout = 20_000 });
        await Assertions.Expect(page.Locator(".msg-mine[data-state=sent]")).ToHaveCountAsync(2);
        await Browser.Eventually(() => received.Count >= 2, "the driver receives both messages");
        // Give any duplicate time to show up, then check the event stream and the stored conversation.
        await page.WaitForTimeoutAsync(3000);
        Assert.Equal(["First, typed offline", "Second, typed offline"], received.Select(m => m.GetProperty("message").GetString()).ToList());
        var stored = (await nwee.Get($"/api/offers/{offerId}/chat/107")).EnumerateArray()
            .Where(m => m.GetProperty("sender_type").GetString() == "dispatcher" && m.GetProperty("message_type").GetString() == "text")
            .Select(m => m.GetProperty("message").GetString()).ToList();
        Assert.Equal(["First, typed offline", "Second, typed offline"], stored);
        // A reload after the outage shows each message once.
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator(".msg-mine .msg-bubble", new() { HasText = "typed offline" })).ToHaveCountAsync(2);
    }
}
