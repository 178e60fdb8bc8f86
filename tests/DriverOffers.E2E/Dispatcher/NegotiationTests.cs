using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.RegularExpressions;
using DriverOffers.E2E.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Playwright;

namespace DriverOffers.E2E.Dispatcher;

/// <summary>
/// Carl's offers page stays live while a driver negotiates. The driver pages come from the driver-app work; until
/// then the drivers act exactly as their app would, through the offer link's code, REST and the hub.
/// </summary>
public sealed class NegotiationTests(E2EServer server) : BrowserTest, IClassFixture<E2EServer>
{
    [Fact]
    public async Task Carl_sees_view_typing_message_and_counter_live_then_accepts_the_counter_and_books()
    {
        using var carl = server.Client(await server.DispatcherToken("carl.banks"));
        var (offerId, links) = await carl.CreateOffer(107, 120);

        var page = await server.NewPage();
        await page.SignIn("carl.banks");
        await page.GotoAsync($"/offers/{offerId}?driver=107");
        await page.WaitLive();
        var row107 = page.Locator(".driver-row[data-driver-id='107']");
        await Assertions.Expect(row107).ToHaveAttributeAsync("data-status", "sent");

        // Driver 107 opens the link: code → token, offer viewed.
        using var nwee = server.Client(await server.DriverTokenFromLink(links[107]));
        await using var nweeHub = await server.Hub(E2EServerTokens.Of(nwee));
        var proposalId = (await nwee.Get($"/api/offers/{offerId}")).GetProperty("my_proposal").GetProperty("id").GetInt32();
        await nwee.Put($"/api/proposals/{proposalId}/respond", new { action = "view" });
        await Assertions.Expect(row107).ToHaveAttributeAsync("data-status", "viewed");
        // Audit lines: Carl's own in the second person, the driver's by name.
        await Assertions.Expect(page.Locator(".msg-system", new() { HasText = "Offer sent to Nwee Ler by you." })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".msg-system", new() { HasText = "Nwee Ler viewed the offer." })).ToBeVisibleAsync();

        // Driver 120 is invited too, and listens for the load being taken.
        using var rodney = server.Client(await server.DriverTokenFromLink(links[120]));
        await using var rodneyHub = await server.Hub(E2EServerTokens.Of(rodney));
        var rodneyOffers = new ConcurrentQueue<JsonElement>();
        rodneyHub.On<JsonElement>("offer_updated", o => rodneyOffers.Enqueue(o));

        // Typing reaches Carl's open chat.
        await nweeHub.InvokeAsync<JsonElement>("join_offer_chat", new { offer_id = offerId, driver_id = 107 });
        var typing = page.GetByTestId("typing");
        for (var attempt = 0; attempt < 5 && !(await typing.InnerTextAsync()).Contains("typing", StringComparison.Ordinal); attempt++)
        {
            await nweeHub.InvokeAsync("typing_start", new { offer_id = offerId, driver_id = 107 });
            await page.WaitForTimeoutAsync(2100);
        }
        await Assertions.Expect(typing).ToHaveTextAsync("Nwee Ler is typing…");

        // A message appears live, and typing ends with it.
        await nwee.Post($"/api/offers/{offerId}/chat/107", new { message = "Can you do 2,700? Fuel is up.", client_message_id = Guid.NewGuid().ToString() });
        await Assertions.Expect(page.Locator(".msg-theirs .msg-bubble", new() { HasText = "Can you do 2,700?" })).ToBeVisibleAsync();
        await Assertions.Expect(typing).ToHaveTextAsync("");

        // Carl answers from the keyboard.
        var composer = page.GetByRole(AriaRole.Textbox, new() { Name = "Message" });
        await composer.FillAsync("Let me check with the shipper 👍");
        await composer.PressAsync("Enter");
        await Assertions.Expect(page.Locator(".msg-mine[data-state=sent] .msg-bubble", new() { HasText = "Let me check with the shipper" })).ToBeVisibleAsync();

        // The counter shows on the driver's row and as a card with Accept / Counter.
        await nwee.Put($"/api/proposals/{proposalId}/respond", new { action = "counter", rate = 2700 });
        await Assertions.Expect(row107).ToHaveAttributeAsync("data-status", "counter_offered");
        await Assertions.Expect(row107.Locator(".counter-rate")).ToHaveTextAsync("$2,700");
        var card = page.GetByTestId("rate-card").Last;
        await Assertions.Expect(card).ToContainTextAsync("$2,700");
        await E2EServer.Screenshot(page, "05-negotiation");

        await card.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Accept & book") }).ClickAsync();
        var confirm = page.GetByRole(AriaRole.Alertdialog, new() { Name = "Book Nwee Ler at $2,700.00?" });
        await Assertions.Expect(confirm).ToHaveAccessibleDescriptionAsync("This accepts their counter-offer. The other driver will be told the load is taken.");
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Book Nwee Ler" }).ClickAsync();

        // Booked: Carl's page says so, and the other invited driver is told at once that the load is taken.
        await Assertions.Expect(page.Locator($".offer-card[data-offer-id='{offerId}'] .pill")).ToHaveTextAsync("booked");
        await Assertions.Expect(page.Locator(".details")).ToContainTextAsync("Booked at $2,700");
        await Assertions.Expect(row107).ToContainTextAsync("Booked");
        await Browser.Eventually(() => rodneyOffers.Any(o => o.GetProperty("id").GetInt32() == offerId && o.GetProperty("load_taken").GetBoolean()),
            "driver 120 receives offer_updated with load_taken");
        var rodneyView = await rodney.Get($"/api/offers/{offerId}");
        Assert.True(rodneyView.GetProperty("load_taken").GetBoolean());
        await E2EServer.Screenshot(page, "06-booked");
    }
}

public sealed class CounterBackTests(E2EServer server) : BrowserTest, IClassFixture<E2EServer>
{
    [Fact]
    public async Task After_Carl_counters_back_the_driver_row_and_chat_say_it_is_the_drivers_turn_until_the_driver_answers()
    {
        using var carl = server.Client(await server.DispatcherToken("carl.banks"));
        var (offerId, links) = await carl.CreateOffer(107);
        using var nwee = server.Client(await server.DriverTokenFromLink(links[107]));
        var proposalId = (await nwee.Get($"/api/offers/{offerId}")).GetProperty("my_proposal").GetProperty("id").GetInt32();
        await nwee.Put($"/api/proposals/{proposalId}/respond", new { action = "counter", rate = 2750 });

        var page = await server.NewPage(1366, 768);
        await page.SignIn("carl.banks");
        await page.GotoAsync($"/offers/{offerId}?driver=107");
        await page.WaitLive();
        var row = page.Locator(".driver-row[data-driver-id='107']");
        var status = page.GetByTestId("chat-proposal-status");
        await Assertions.Expect(row.GetByTestId("proposal-status")).ToContainTextAsync("Countered");
        await Assertions.Expect(status).ToContainTextAsync("Countered $2,750");

        // Carl answers with his own rate from the driver's rate card: now the driver has to answer.
        var card = page.GetByTestId("rate-card").Last;
        await card.GetByRole(AriaRole.Button, new() { Name = "Counter" }).ClickAsync();
        await page.Keyboard.TypeAsync("2650");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(row.GetByTestId("proposal-status")).ToContainTextAsync("You countered");
        // The form is gone; the cursor goes on in the message box, ready for a note, not to the top of the page.
        await Assertions.Expect(page.GetByRole(AriaRole.Textbox, new() { Name = "Message" })).ToBeFocusedAsync();
        await Assertions.Expect(row.Locator(".counter-rate")).ToHaveTextAsync("$2,650");
        await Assertions.Expect(status).ToContainTextAsync("You countered $2,650");

        // The driver counters again: Carl's turn, at the driver's new rate.
        await nwee.Put($"/api/proposals/{proposalId}/respond", new { action = "counter", rate = 2700 });
        await Assertions.Expect(row.GetByTestId("proposal-status")).ToContainTextAsync("Countered");
        await Assertions.Expect(row.Locator(".counter-rate")).ToHaveTextAsync("$2,700");
        await Assertions.Expect(status).ToContainTextAsync("Countered $2,700");

        // Each of the three counters shows once in Carl's chat: its card, without the audit line ("… countered at $…",
        // "You countered back at $…") the same answer stored after it. Read whole, so every line the chat has is there.
        await page.ReloadAsync();
        await Assertions.Expect(page.GetByTestId("rate-card")).ToHaveCountAsync(3);
        await Assertions.Expect(page.Locator(".msg-system", new() { HasText = "Offer sent to Nwee Ler" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".msg-system", new() { HasText = "countered" })).ToHaveCountAsync(0);
    }
}

internal static class E2EServerTokens
{
    public static string Of(HttpClient client) => client.DefaultRequestHeaders.Authorization!.Parameter!;
}
