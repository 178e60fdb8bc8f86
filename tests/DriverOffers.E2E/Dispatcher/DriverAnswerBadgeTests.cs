using DriverOffers.E2E.Infrastructure;
using Microsoft.Playwright;

namespace DriverOffers.E2E.Dispatcher;

/// <summary>
/// A driver's acceptance that lands while the dispatcher is elsewhere stays noticeable after its toast is gone: on the
/// offer's card, the driver's row, the Offers tab and the window title, until it is looked at. (A counter comes with
/// a rate-card message and is counted as an unread message already.)
/// </summary>
public sealed class DriverAnswerBadgeTests(E2EServer server) : BrowserTest, IClassFixture<E2EServer>
{
    [Fact]
    public async Task An_acceptance_on_another_offer_badges_its_card_driver_and_title_until_that_chat_is_opened()
    {
        using var carl = server.Client(await server.DispatcherToken("carl.banks"));
        var (elsewhere, _) = await carl.CreateOffer(294);
        var (offerId, links) = await carl.CreateOffer(107, 120);

        var page = await server.NewPage(1366, 768);
        await page.SignIn("carl.banks");
        await page.GotoAsync($"/offers/{elsewhere}");
        await page.WaitLive();
        var card = page.Locator($".offer-card[data-offer-id='{offerId}']");
        var badge = card.GetByTestId("offer-unread");
        await Assertions.Expect(badge).ToHaveCountAsync(0);
        // The demo offers come with unread messages of their own: the title counts on from those.
        var before = await TitleCount(page);

        // Nwee (107) counters: her rate card is an unread message, counted once (not again as an answer).
        using var nwee = server.Client(await server.DriverTokenFromLink(links[107]));
        var nweeProposal = (await nwee.Get($"/api/offers/{offerId}")).GetProperty("my_proposal").GetProperty("id").GetInt32();
        await nwee.Put($"/api/proposals/{nweeProposal}/respond", new { action = "counter", rate = 2650 });
        await Assertions.Expect(badge).ToHaveAttributeAsync("title", "1 unread message");

        // Rodney (120) accepts: only an audit line, no unread message, yet it waits for Carl to book.
        using var rodney = server.Client(await server.DriverTokenFromLink(links[120]));
        var rodneyProposal = (await rodney.Get($"/api/offers/{offerId}")).GetProperty("my_proposal").GetProperty("id").GetInt32();
        await rodney.Put($"/api/proposals/{rodneyProposal}/respond", new { action = "accept" });
        await Assertions.Expect(badge).ToHaveAttributeAsync("title", "1 unread message, 1 new acceptance");
        await Assertions.Expect(page.GetByTestId("nav-unread")).ToHaveAttributeAsync("title", $"{Messages(before + 1)}, 1 new acceptance");
        await Assertions.Expect(page).ToHaveTitleAsync($"({before + 2}) Driver Offers");

        // The offers list is re-read after every proposal event, and on a reload: the acceptance stays counted.
        await page.ReloadAsync();
        await page.WaitLive();
        await Assertions.Expect(badge).ToHaveAttributeAsync("title", "1 unread message, 1 new acceptance");
        await E2EServer.Screenshot(page, "12-acceptance-badge");

        // Nwee's chat read, Rodney's row still says why it is marked, until his chat is opened.
        await page.GotoAsync($"/offers/{offerId}?driver=107");
        var row120 = page.Locator(".driver-row[data-driver-id='120']");
        await Assertions.Expect(row120.GetByTestId("driver-unread")).ToHaveAttributeAsync("title", "1 new acceptance");
        await Assertions.Expect(badge).ToHaveAttributeAsync("title", "1 new acceptance");
        await row120.ClickAsync();
        await Assertions.Expect(row120.GetByTestId("driver-unread")).ToHaveCountAsync(0);
        await Assertions.Expect(badge).ToHaveCountAsync(0);
        await Assertions.Expect(page).ToHaveTitleAsync(Title(before));
    }

    [Fact]
    public async Task An_acceptance_while_the_tab_is_hidden_shows_in_the_title_and_clears_when_the_dispatcher_comes_back()
    {
        using var carl = server.Client(await server.DispatcherToken("carl.banks"));
        var (offerId, links) = await carl.CreateOffer(107);
        var page = await server.NewPage(1366, 768);
        await page.SignIn("carl.banks");
        await page.GotoAsync($"/offers/{offerId}?driver=107");
        await page.WaitLive();
        await Assertions.Expect(page.Locator(".driver-row[data-driver-id='107']")).ToHaveAttributeAsync("aria-selected", "true");
        var before = await TitleCount(page);

        // Carl switches to another tab (what the browser reports then), with Nwee's chat still open in this one.
        await SetVisibility(page, "hidden");
        using var nwee = server.Client(await server.DriverTokenFromLink(links[107]));
        var proposalId = (await nwee.Get($"/api/offers/{offerId}")).GetProperty("my_proposal").GetProperty("id").GetInt32();
        await nwee.Put($"/api/proposals/{proposalId}/respond", new { action = "accept" });
        await Assertions.Expect(page).ToHaveTitleAsync(Title(before + 1));

        await SetVisibility(page, "visible");
        await Assertions.Expect(page).ToHaveTitleAsync(Title(before));
        await Assertions.Expect(page.Locator(".driver-row[data-driver-id='107']").GetByTestId("driver-unread")).ToHaveCountAsync(0);
    }

    private static string Messages(int count) => count == 1 ? "1 unread message" : $"{count} unread messages";

    private static string Title(int count) => count > 0 ? $"({count}) Driver Offers" : "Driver Offers";

    /// <summary>
    /// The count in the window title once the offers are on screen. Read from the Offers tab's badge, drawn with the
    /// cards: the title follows a moment later (an effect), so reading it straight away could still find no count.
    /// </summary>
    private static async Task<int> TitleCount(IPage page)
    {
        await page.Locator(".offer-card").First.WaitForAsync();
        var badge = page.GetByTestId("nav-unread");
        var count = await badge.CountAsync() == 0
            ? 0
            : int.Parse(await badge.Locator("[aria-hidden]").InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture);
        await Assertions.Expect(page).ToHaveTitleAsync(Title(count));
        return count;
    }

    private static async Task SetVisibility(IPage page, string state) => await page.EvaluateAsync("""
        (state) => {
          Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
          Object.defineProperty(document, 'hidden', { configurable: true, get: () => state === 'hidden' });
          document.dispatchEvent(new Event('visibilitychange'));
        }
        """, state);
}
