using DriverOffers.E2E.Infrastructure;
using Microsoft.Playwright;

namespace DriverOffers.E2E.Dispatcher;

/// <summary>Status chips and unread badges are read at a glance, on a laptop and in a truck cab: AA contrast (4.5:1).</summary>
public sealed class ContrastTests(E2EServer server) : BrowserTest, IClassFixture<E2EServer>
{
    [Fact]
    public async Task Status_chips_unread_badges_and_secondary_text_stay_readable_also_on_closed_offers()
    {
        using var carl = server.Client(await server.DispatcherToken("carl.banks"));
        var (openId, openLinks) = await carl.CreateOffer(107, 120);
        var (cancelledId, _) = await carl.CreateOffer(107);
        await carl.DeleteAsync($"/api/offers/{cancelledId}");
        using var nwee = server.Client(await server.DriverTokenFromLink(openLinks[107]));
        await nwee.Post($"/api/offers/{openId}/chat/107", new { message = "Unread for Carl", client_message_id = Guid.NewGuid().ToString() });
        await carl.Post($"/api/offers/{openId}/chat/107", new { message = "Unread for Nwee", client_message_id = Guid.NewGuid().ToString() });

        var page = await server.NewPage();
        await page.SignIn("carl.banks");
        await page.Locator(".pill").First.WaitForAsync();
        await Readable(page, ".pill, .badge, .ttable-row .muted");

        await page.GotoAsync($"/offers/{openId}?driver=120");
        await Assertions.Expect(page.Locator($".offer-card[data-offer-id='{cancelledId}'] .pill")).ToHaveTextAsync("cancelled");
        await Assertions.Expect(page.Locator(".driver-row[data-driver-id='107'] .badge")).ToBeVisibleAsync();
        await Readable(page, ".offer-card .pill, .badge, .offer-card .muted, .offer-card .counter, .driver-row .muted, .details .muted, .details .label, .chat-title .muted");

        var phone = await server.NewPage(390, 844);
        await phone.GotoAsync(new Uri(openLinks[120]).PathAndQuery);
        await phone.Locator("[data-testid=driver-offer]").WaitForAsync();
        var (closedForRodney, _) = await carl.CreateOffer(120);
        await carl.DeleteAsync($"/api/offers/{closedForRodney}");
        // Sent once the phone has left the offer: a message arriving while its chat is on screen is read at once.
        await phone.GotoAsync("/driver");
        await phone.Locator(".drv-closed .drv-chip").First.WaitForAsync();
        await carl.Post($"/api/offers/{openId}/chat/120", new { message = "Unread for Rodney", client_message_id = Guid.NewGuid().ToString() });
        await phone.ReloadAsync();
        await phone.Locator(".drv-closed .drv-chip").First.WaitForAsync();
        await phone.Locator(".drv-badge").First.WaitForAsync();
        await Readable(phone, ".drv-chip, .drv-badge, .drv-offer-row .drv-muted, .drv-offer-meta");
    }

    private static async Task Readable(IPage page, string selector)
    {
        var low = await page.LowContrast(selector);
        Assert.True(low.Length == 0, "Below 4.5:1 — " + string.Join("; ", low));
    }
}
