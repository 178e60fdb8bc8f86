using DriverOffers.E2E.Infrastructure;
using Microsoft.Playwright;

namespace DriverOffers.E2E.Dispatcher;

/// <summary>
/// Booking and cancelling ask in the app's own dialog, not the browser's confirm(): it says who, at what rate and who
/// else is told, keeps the focus inside, and Escape answers no.
/// </summary>
public sealed class ConfirmDialogTests(E2EServer server) : BrowserTest, IClassFixture<E2EServer>
{
    [Fact]
    public async Task Booking_asks_in_the_app_naming_driver_rate_and_the_other_drivers_and_Escape_books_nobody()
    {
        using var carl = server.Client(await server.DispatcherToken("carl.banks"));
        var (offerId, links) = await carl.CreateOffer(107, 120, 294, 370, 300);
        using var nwee = server.Client(await server.DriverTokenFromLink(links[107]));
        var proposalId = (await nwee.Get($"/api/offers/{offerId}")).GetProperty("my_proposal").GetProperty("id").GetInt32();
        await nwee.Put($"/api/proposals/{proposalId}/respond", new { action = "counter", rate = 2800 });

        var page = await server.NewPage(1366, 768);
        var nativeDialogs = 0;
        page.Dialog += (_, dialog) => { nativeDialogs++; _ = dialog.DismissAsync(); };
        await page.SignIn("carl.banks");
        await page.GotoAsync($"/offers/{offerId}?driver=107");
        await page.WaitLive();

        var book = page.Locator(".details-book");
        await Assertions.Expect(book).ToHaveTextAsync("Book Nwee Ler at $2,800");
        await book.ClickAsync();
        var dialog = page.GetByRole(AriaRole.Alertdialog, new() { Name = "Book Nwee Ler at $2,800.00?" });
        await Assertions.Expect(dialog).ToBeVisibleAsync();
        await Assertions.Expect(dialog).ToHaveAccessibleDescriptionAsync(
            "This accepts their counter-offer. The other 4 drivers will be told the load is taken.");
        await E2EServer.Screenshot(page, "10-confirm-book");

        // The focus starts on the answer and Tab never leaves the dialog.
        var confirm = dialog.GetByRole(AriaRole.Button, new() { Name = "Book Nwee Ler" });
        await Assertions.Expect(confirm).ToBeFocusedAsync();
        for (var i = 0; i < 4; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            Assert.True(await dialog.EvaluateAsync<bool>("d => d.contains(document.activeElement)"), $"Tab {i + 1} left the dialog");
        }

        // Escape answers no: nothing is booked, and the focus is back on the Book button.
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(dialog).ToBeHiddenAsync();
        await Assertions.Expect(book).ToBeFocusedAsync();
        Assert.Equal("active", (await carl.Get($"/api/offers/{offerId}")).GetProperty("status").GetString());

        // Asked again and confirmed, the driver is booked.
        await book.ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Book Nwee Ler" }).ClickAsync();
        await Assertions.Expect(page.Locator(".details")).ToContainTextAsync("Booked at $2,800");
        // The Book button went with the booking: the focus lands on the offer's heading, not on the page's top.
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Offer #{offerId}" })).ToBeFocusedAsync();
        Assert.Equal(107, (await carl.Get($"/api/offers/{offerId}")).GetProperty("booked_driver_id").GetInt32());
        Assert.Equal(0, nativeDialogs);
    }

    [Fact]
    public async Task Cancelling_asks_in_the_app_with_Keep_offer_focused_and_only_Cancel_offer_cancels()
    {
        using var carl = server.Client(await server.DispatcherToken("carl.banks"));
        var (offerId, _) = await carl.CreateOffer(107, 120);
        var page = await server.NewPage(1366, 768);
        var nativeDialogs = 0;
        page.Dialog += (_, dialog) => { nativeDialogs++; _ = dialog.DismissAsync(); };
        await page.SignIn("carl.banks");
        // The drivers list is still on its way when Carl asks: the question counts the offer's drivers all the same.
        var driversHeld = new TaskCompletionSource();
        await page.RouteAsync($"**/api/offers/{offerId}/proposals", async route =>
        {
            await driversHeld.Task;
            await route.ContinueAsync();
        });
        await page.GotoAsync($"/offers/{offerId}");
        // Live, but not caught up: the catch-up re-reads the drivers too, and those are held.
        await Assertions.Expect(page.GetByTestId("connection-status")).ToHaveAttributeAsync("data-status", "connected");

        var cancel = page.Locator(".details-actions").GetByRole(AriaRole.Button, new() { Name = "Cancel offer" });
        await cancel.ClickAsync();
        var dialog = page.GetByRole(AriaRole.Alertdialog, new() { Name = $"Cancel offer #{offerId} (Rockford, IL → Dallas, TX)?" });
        await Assertions.Expect(dialog).ToHaveAccessibleDescriptionAsync(
            "The 2 drivers invited will be told it is cancelled, and their chats close. This can't be undone.");
        driversHeld.SetResult();
        await Assertions.Expect(page.Locator(".driver-row")).ToHaveCountAsync(2);
        await E2EServer.Screenshot(page, "11-confirm-cancel");

        // A destructive question starts on the safe answer: Enter keeps the offer.
        await Assertions.Expect(dialog.GetByRole(AriaRole.Button, new() { Name = "Keep offer" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(dialog).ToBeHiddenAsync();
        Assert.Equal("active", (await carl.Get($"/api/offers/{offerId}")).GetProperty("status").GetString());

        await cancel.ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel offer" }).ClickAsync();
        await Assertions.Expect(page.Locator($".offer-card[data-offer-id='{offerId}'] .pill")).ToHaveTextAsync("cancelled");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Offer #{offerId}" })).ToBeFocusedAsync();
        Assert.Equal("cancelled", (await carl.Get($"/api/offers/{offerId}")).GetProperty("status").GetString());
        Assert.Equal(0, nativeDialogs);
    }
}
