using System.Text.RegularExpressions;
using DriverOffers.E2E.Infrastructure;
using Microsoft.Playwright;

namespace DriverOffers.E2E.Dispatcher;

/// <summary>The offers page by keyboard: one Tab stop per group of choices, arrows inside it, focus never lost.</summary>
public sealed class KeyboardTests(E2EServer server) : BrowserTest, IClassFixture<E2EServer>
{
    private static Task<string> Focused(IPage page) =>
        page.EvaluateAsync<string>("() => { const e = document.activeElement; return e.getAttribute('aria-label') ?? e.getAttribute('data-offer-id') ?? e.textContent.trim(); }");

    [Fact]
    public async Task The_emoji_menu_opens_on_its_first_emoji_moves_with_the_arrows_inserts_with_enter_and_closes_with_esc()
    {
        using var carl = server.Client(await server.DispatcherToken("carl.banks"));
        var (offerId, _) = await carl.CreateOffer(107);
        var page = await server.NewPage(1366, 768);
        await page.SignIn("carl.banks");
        await page.GotoAsync($"/offers/{offerId}?driver=107");
        var composer = page.GetByRole(AriaRole.Textbox, new() { Name = "Message" });
        await composer.FillAsync("On my way ");

        var button = page.GetByRole(AriaRole.Button, new() { Name = "Insert emoji" });
        await button.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        var items = page.GetByRole(AriaRole.Menu, new() { Name = "Emoji" }).GetByRole(AriaRole.Menuitem);
        await Assertions.Expect(items.Nth(0)).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("ArrowRight");
        await Assertions.Expect(items.Nth(1)).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("ArrowDown"); // a row further: eight to a row on a laptop
        await Assertions.Expect(items.Nth(9)).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(composer).ToHaveValueAsync("On my way ⏰");
        await Assertions.Expect(composer).ToBeFocusedAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Menu)).ToHaveCountAsync(0);

        await button.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(items.Nth(0)).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(page.GetByRole(AriaRole.Menu)).ToHaveCountAsync(0);
        await Assertions.Expect(button).ToBeFocusedAsync();
    }

    [Fact]
    public async Task Status_filter_offer_cards_and_drivers_are_one_tab_stop_each_and_the_arrows_move_inside()
    {
        using var carl = server.Client(await server.DispatcherToken("carl.banks"));
        var (older, _) = await carl.CreateOffer(107);
        var (offerId, _) = await carl.CreateOffer(107, 120);
        var page = await server.NewPage(1366, 768);
        await page.SignIn("carl.banks");
        await page.GotoAsync($"/offers/{offerId}?driver=107");
        await Assertions.Expect(page.Locator(".driver-row[data-driver-id='120']")).ToBeVisibleAsync();

        // Search → the chosen status → the selected card → …: each group is passed with one Tab.
        await page.GetByRole(AriaRole.Searchbox, new() { Name = "Search offers" }).FocusAsync();
        await page.Keyboard.PressAsync("Tab");
        var all = page.GetByRole(AriaRole.Radio, new() { Name = "All" });
        await Assertions.Expect(all).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Tab");
        var card = page.Locator($".offer-card[data-offer-id='{offerId}']");
        await Assertions.Expect(card).ToBeFocusedAsync();
        Assert.Equal(1, await page.Locator(".offer-card[tabindex='0']").CountAsync());

        // Arrows move along the cards; Enter opens one.
        await page.Keyboard.PressAsync("ArrowRight");
        Assert.Equal(older.ToString(), await Focused(page));
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/offers/{older}"));
        await page.GotoAsync($"/offers/{offerId}?driver=107");

        // Up/Down walk the drivers and open each one's chat.
        var nwee = page.Locator(".driver-row[data-driver-id='107']");
        await nwee.FocusAsync();
        await page.Keyboard.PressAsync("ArrowDown");
        var rodney = page.Locator(".driver-row[data-driver-id='120']");
        await Assertions.Expect(rodney).ToBeFocusedAsync();
        await Assertions.Expect(rodney).ToHaveAttributeAsync("aria-selected", "true");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("driver=120"));
        await Assertions.Expect(page.GetByRole(AriaRole.Region, new() { Name = "Chat with Rodney Bowles" })).ToBeVisibleAsync();

        // Arrows choose a status, as radio buttons do.
        await all.FocusAsync();
        await page.Keyboard.PressAsync("ArrowRight");
        var active = page.GetByRole(AriaRole.Radio, new() { Name = "Active" });
        await Assertions.Expect(active).ToBeFocusedAsync();
        await Assertions.Expect(active).ToHaveAttributeAsync("aria-checked", "true");
        await page.Keyboard.PressAsync("ArrowLeft");
        await Assertions.Expect(all).ToHaveAttributeAsync("aria-checked", "true");
    }
}
