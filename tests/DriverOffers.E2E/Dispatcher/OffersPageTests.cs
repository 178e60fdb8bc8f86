using System.Text.RegularExpressions;
using DriverOffers.E2E.Infrastructure;
using Microsoft.Playwright;

namespace DriverOffers.E2E.Dispatcher;

public sealed class OffersPageTests(E2EServer server) : BrowserTest, IClassFixture<E2EServer>
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
    public async Task A_long_unbroken_place_name_wraps_inside_the_offer_column_beside_the_chat()
    {
        using var carl = server.Client(await server.DispatcherToken("carl.banks"));
        var (offerId, _) = await carl.CreateOfferFromUnbrokenPlace(107);
        var page = await server.NewPage(1366, 768);
        await page.SignIn("carl.banks");
        await page.GotoAsync($"/offers/{offerId}");
        var route = page.Locator(".details-grid > div").First;
        await route.WaitForAsync();
        // Where the text itself ends (its boxes keep the column's width while the letters run on).
        var text = await route.EvaluateAsync<double>("e => { const r = document.createRange(); r.selectNodeContents(e); return Math.max(...[...r.getClientRects()].map(b => b.right)); }");
        var box = (await route.BoundingBoxAsync())!;
        var column = (await page.Locator(".offer-side").BoundingBoxAsync())!;
        Assert.True(text <= box.X + box.Width + 1, $"the route runs to {text:0} px, past its box ending at {box.X + box.Width:0} px");
        Assert.True(text <= column.X + column.Width, $"the route runs to {text:0} px, past the offer column ending at {column.X + column.Width:0} px");
        Assert.True(column.X + column.Width <= 1366, "the offer column sticks out of the window");
    }

    [Fact]
    public async Task On_a_1366x768_laptop_the_chat_log_is_tall_the_offer_details_stay_in_view_and_the_page_does_not_scroll()
    {
        using var carl = server.Client(await server.DispatcherToken("carl.banks"));
        var (offerId, links) = await carl.CreateOffer(107, 120);
        using var nwee = server.Client(await server.DriverTokenFromLink(links[107]));
        for (var i = 0; i < 15; i++)
        {
            await nwee.Post($"/api/offers/{offerId}/chat/107", new { message = $"Line {i}", client_message_id = Guid.NewGuid().ToString() });
        }
        var page = await server.NewPage(1366, 768);
        await page.SignIn("carl.banks");
        await page.GotoAsync($"/offers/{offerId}?driver=107");
        await Assertions.Expect(page.Locator(".msg-theirs .msg-bubble", new() { HasText = "Line 14" })).ToBeVisibleAsync();

        var log = (await page.GetByTestId("chat-scroll").BoundingBoxAsync())!;
        Assert.True(log.Height >= 400, $"the chat log is {log.Height:0} px tall at 1366x768");
        var scroll = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollHeight, document.documentElement.clientHeight, document.documentElement.scrollWidth, document.documentElement.clientWidth]");
        Assert.True(scroll[0] <= scroll[1] && scroll[2] <= scroll[3], $"the page scrolls as a whole: {string.Join(", ", scroll)}");
        // Everything about the offer is on screen next to the chat, and so is the composer.
        foreach (var visible in new[]
        {
            page.Locator(".details").GetByText("Rockford, IL → Dallas, TX"),
            page.Locator(".details").GetByText("Team E2E"),
            page.GetByRole(AriaRole.Button, new() { Name = "Send to more drivers" }),
            page.GetByRole(AriaRole.Button, new() { Name = "Cancel offer" }),
            page.GetByRole(AriaRole.Textbox, new() { Name = "Message" }),
            page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }),
        })
        {
            await Assertions.Expect(visible).ToBeInViewportAsync(new() { Ratio = 1 });
        }
        await E2EServer.Screenshot(page, "08-offers-page-laptop");
    }

    [Fact]
    public async Task Each_offer_card_says_in_words_how_its_drivers_answered_to_the_eye_and_to_a_screen_reader()
    {
        using var carl = server.Client(await server.DispatcherToken("carl.banks"));
        var (offerId, links) = await carl.CreateOffer(107, 120, 122);
        var page = await server.NewPage(1366, 768);
        await page.SignIn("carl.banks");
        await page.GotoAsync($"/offers/{offerId}");
        await page.WaitLive();
        var card = page.Locator($".offer-card[data-offer-id='{offerId}']");
        await Assertions.Expect(card.Locator(".counter").GetByText("3 sent", new() { Exact = true })).ToBeVisibleAsync();

        foreach (var (driver, action) in new[] { (107, "view"), (120, "counter") })
        {
            using var client = server.Client(await server.DriverTokenFromLink(links[driver]));
            var proposalId = (await client.Get($"/api/offers/{offerId}")).GetProperty("my_proposal").GetProperty("id").GetInt32();
            await client.Put($"/api/proposals/{proposalId}/respond", action == "counter" ? new { action, rate = (decimal?)2800 } : new { action, rate = (decimal?)null });
        }

        foreach (var words in new[] { "1 sent", "1 viewed", "1 countered" })
        {
            await Assertions.Expect(card.Locator(".counter").GetByText(words, new() { Exact = true })).ToBeVisibleAsync();
        }
        await Assertions.Expect(card).ToHaveAccessibleNameAsync(new Regex("1 sent, 1 viewed, 1 countered"));
        await Assertions.Expect(card).Not.ToHaveAccessibleNameAsync(new Regex("🟡|🔵|🟢"));
    }

    [Fact]
    public async Task A_server_error_is_shown_at_once_without_retrying_while_a_busy_gateway_is_retried_by_itself()
    {
        using var carl = server.Client(await server.DispatcherToken("carl.banks"));
        var (first, _) = await carl.CreateOffer(107);
        var (failing, _) = await carl.CreateOffer(120);
        var (busy, _) = await carl.CreateOffer(122);
        var page = await server.NewPage(1366, 768);
        await page.SignIn("carl.banks");
        await page.GotoAsync($"/offers/{first}");
        await page.WaitLive();
        await Assertions.Expect(page.Locator(".driver-row[data-driver-id='107']")).ToBeVisibleAsync();

        // Each offer's drivers fail on their first read only: a 500 for one offer, a 503 for the other.
        var reads = new Dictionary<int, int> { [failing] = 0, [busy] = 0 };
        foreach (var (offerId, status) in new[] { (failing, 500), (busy, 503) })
        {
            await page.RouteAsync(new Regex($"/api/offers/{offerId}/proposals(\\?.*)?$"), route =>
            {
                lock (reads) reads[offerId]++;
                return reads[offerId] == 1
                    ? route.FulfillAsync(new() { Status = status, ContentType = "application/problem+json", Body = $$"""{"title":"Failed with {{status}}.","status":{{status}}}""" })
                    : route.ContinueAsync();
            });
        }

        // A 500 would fail again: no retry (a retry a second later would have loaded the drivers), Try again offered.
        await page.Locator($".offer-card[data-offer-id='{failing}']").ClickAsync();
        var error = page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "Could not load the drivers" });
        await Assertions.Expect(error).ToContainTextAsync("Failed with 500.");
        Assert.Equal(1, reads[failing]);
        await error.GetByRole(AriaRole.Button, new() { Name = "Try again" }).ClickAsync();
        await Assertions.Expect(page.Locator(".driver-row[data-driver-id='120']")).ToBeVisibleAsync();

        // A 503 is what a retry fixes: the drivers load without anyone pressing anything.
        await page.Locator($".offer-card[data-offer-id='{busy}']").ClickAsync();
        await Assertions.Expect(page.Locator(".driver-row[data-driver-id='122']")).ToBeVisibleAsync();
        Assert.Equal(2, reads[busy]);
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveCountAsync(0);
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
        // A 500 is not retried (it would fail again): the error is shown where the part would be.
        var error = page.GetByRole(AriaRole.Alert).Filter(new() { HasText = $"Could not load {what}" });
        await Assertions.Expect(error).ToContainTextAsync("An error occurred while processing your request.");
        await Assertions.Expect(page.GetByText("Select a driver to open the chat.")).ToHaveCountAsync(0);
        await E2EServer.Screenshot(page, $"09-load-error-{part}");
        // The hub's first connect re-reads the offers and drivers (catch-up): done while still broken, so that read
        // can't recover the part by itself and take the button away under the click.
        await page.WaitLive();
        await Assertions.Expect(error).ToContainTextAsync("An error occurred while processing your request.");

        broken = false;
        await error.GetByRole(AriaRole.Button, new() { Name = "Try again" }).ClickAsync();
        await Assertions.Expect(page.Locator($".offer-card[data-offer-id='{offerId}']")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".driver-row[data-driver-id='107']")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".msg-system").First).ToBeVisibleAsync();
        await Assertions.Expect(error).ToHaveCountAsync(0);
    }
}
