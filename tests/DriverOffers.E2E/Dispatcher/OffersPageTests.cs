using System.Text.RegularExpressions;
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

    [Fact]
    public async Task A_long_unbroken_place_name_wraps_inside_its_column_of_the_details_panel()
    {
        using var carl = server.Client(await server.DispatcherToken("carl.banks"));
        var (offerId, _) = await carl.CreateOfferFromUnbrokenPlace(107);
        var page = await server.NewPage();
        await page.SignIn("carl.banks");
        await page.GotoAsync($"/offers/{offerId}");
        var columns = page.Locator(".details-grid > div");
        await columns.First.WaitForAsync();
        var route = (await columns.Nth(0).BoundingBoxAsync())!;
        // Where the text itself ends (its boxes keep the column's width while the letters run on).
        var text = await columns.Nth(0).EvaluateAsync<double>("e => { const r = document.createRange(); r.selectNodeContents(e); return Math.max(...[...r.getClientRects()].map(b => b.right)); }");
        var next = (await columns.Nth(1).BoundingBoxAsync())!;
        Assert.True(text <= next.X, $"the route runs to {text:0} px, over the next column at {next.X:0} px");
        Assert.True(text <= route.X + route.Width + 1, $"the route runs to {text:0} px, past its column ending at {route.X + route.Width:0} px");
    }

    [Theory]
    [InlineData("offers", "the offers")]
    [InlineData("proposals", "the drivers")]
    [InlineData("chat", "the conversation")]
    public async Task A_server_error_loading_a_part_of_the_offers_page_says_so_and_try_again_recovers(string part, string what)
    {
        using var carl = server.Client(await server.DispatcherToken("carl.banks"));
        var (offerId, _) = await carl.CreateOffer(107);
        var page = await server.NewPage();
        await page.SignIn("carl.banks");
        var url = part switch
        {
            "offers" => new Regex("/api/offers(\\?.*)?$"),
            "proposals" => new Regex($"/api/offers/{offerId}/proposals(\\?.*)?$"),
            _ => new Regex($"/api/offers/{offerId}/chat/107(\\?.*)?$"),
        };
        var broken = true;
        await page.RouteAsync(url, route => broken && route.Request.Method == "GET"
            ? route.FulfillAsync(new() { Status = 500, ContentType = "application/problem+json", Body = """{"title":"An error occurred while processing your request.","status":500}""" })
            : route.ContinueAsync());

        await page.GotoAsync($"/offers/{offerId}?driver=107");
        // Retries of a 5xx come first (a few seconds), then the error is shown where the part would be.
        var error = page.GetByRole(AriaRole.Alert).Filter(new() { HasText = $"Could not load {what}" });
        await Assertions.Expect(error).ToContainTextAsync("An error occurred while processing your request.", new() { Timeout = 30_000 });
        await Assertions.Expect(page.GetByText("Select a driver to open the chat.")).ToHaveCountAsync(0);
        await E2EServer.Screenshot(page, $"09-load-error-{part}");

        broken = false;
        await error.GetByRole(AriaRole.Button, new() { Name = "Try again" }).ClickAsync();
        await Assertions.Expect(page.Locator($".offer-card[data-offer-id='{offerId}']")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".driver-row[data-driver-id='107']")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".msg-system").First).ToBeVisibleAsync();
        await Assertions.Expect(error).ToHaveCountAsync(0);
    }
}
