using DriverOffers.E2E.Infrastructure;
using Microsoft.Playwright;

namespace DriverOffers.E2E.Dispatcher;

public sealed class OffersPageTests(E2EServer server) : IClassFixture<E2EServer>
{
    [Fact]
    public async Task Opening_an_older_offer_by_its_address_scrolls_its_card_into_view()
    {
        using var carl = server.Client(await server.DispatcherToken("carl.banks"));
        var (oldest, _) = await carl.CreateOffer(107);
        for (var i = 0; i < 8; i++)
        {
            await carl.CreateOffer(107);
        }

        var page = await server.NewPage();
        await page.SignIn("carl.banks");
        await page.GotoAsync($"/offers/{oldest}");
        var card = page.Locator($".offer-card[data-offer-id='{oldest}']");
        await Assertions.Expect(card).ToHaveAttributeAsync("aria-pressed", "true");
        await Assertions.Expect(card).ToBeInViewportAsync(new() { Ratio = 1 });
    }
}
