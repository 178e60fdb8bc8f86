using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.RegularExpressions;
using DriverOffers.E2E.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Playwright;

namespace DriverOffers.E2E.Driver;

/// <summary>The driver's phone (390×844) against the real server; the dispatcher side is a real hub client and REST.</summary>
public sealed class DriverOfferTests(E2EServer server) : BrowserTest, IClassFixture<E2EServer>
{
    private const int Nwee = 107;
    private const int Rodney = 120;

    private Task<IPage> Phone() => server.NewPage(390, 844);

    private static string PathOf(string link) => new Uri(link).PathAndQuery;

    /// <summary>Carl's live feed of the driver's typed messages in one conversation, as his browser would get them
    /// (counters arrive as rate_proposal messages and answers as system events; those are checked through the proposal).</summary>
    private async Task<(HubConnection Hub, ConcurrentQueue<JsonElement> Messages)> CarlListens(string carlToken, int offerId, int driverId)
    {
        var hub = await server.Hub(carlToken);
        var messages = new ConcurrentQueue<JsonElement>();
        hub.On<JsonElement>("new_message", m =>
        {
            if (m.GetProperty("offer_id").GetInt32() == offerId && m.GetProperty("driver_id").GetInt32() == driverId &&
                m.GetProperty("sender_type").GetString() == "driver" && m.GetProperty("message_type").GetString() == "text")
            {
                messages.Enqueue(m);
            }
        });
        return (hub, messages);
    }

    /// <summary>The link page swapped its code for a session and moved on to the offer (a client-side navigation).</summary>
    private static async Task OnOffer(IPage page, int offerId)
    {
        await Assertions.Expect(page.Locator($"[data-testid=driver-offer][data-offer-id='{offerId}']")).ToBeVisibleAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/driver/offers/{offerId}$"));
    }

    private static async Task Say(IPage page, string text)
    {
        var box = page.GetByLabel("Message");
        await box.FillAsync(text);
        await box.PressAsync("Enter");
    }

    [Fact]
    public async Task The_link_opens_the_offer_on_a_phone_and_the_driver_counters_and_chats_with_the_dispatcher()
    {
        var carlToken = await server.DispatcherToken("carl.banks");
        using var carl = server.Client(carlToken);
        var (offerId, links) = await carl.CreateOffer(Nwee);
        var (hub, fromDriver) = await CarlListens(carlToken, offerId, Nwee);
        await using var _ = hub;

        var page = await Phone();
        await page.GotoAsync(PathOf(links[Nwee]));
        await OnOffer(page, offerId);
        await Assertions.Expect(page.GetByTestId("pickup")).ToHaveTextAsync("Rockford, IL");
        await Assertions.Expect(page.GetByTestId("delivery")).ToHaveTextAsync("Dallas, TX");
        await Assertions.Expect(page.GetByTestId("rate")).ToHaveTextAsync("$2,500");
        await page.WaitLive();
        // Opening it marked it viewed for the dispatcher.
        await ProposalBecomes(carl, offerId, Nwee, "viewed");
        await E2EServer.Screenshot(page, "20-driver-offer");

        // Counter, behind a confirm step.
        await page.GetByRole(AriaRole.Button, new() { Name = "Counter", Exact = true }).ClickAsync();
        await page.GetByLabel("Counter rate").FillAsync("2800");
        await page.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        await E2EServer.Screenshot(page, "21-driver-counter-confirm");
        await page.GetByRole(AriaRole.Button, new() { Name = "Yes, send $2,800" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("my-counter")).ToHaveTextAsync("$2,800");
        var proposal = await Proposal(carl, offerId, Nwee);
        Assert.Equal("counter_offered", proposal.GetProperty("status").GetString());
        Assert.Equal(2800m, proposal.GetProperty("driver_proposed_rate").GetDecimal());
        // The audit lines about the driver read in the second person on their own phone.
        await Assertions.Expect(page.GetByTestId("rate-card").Last).ToContainTextAsync("You propose $2,800.00.");
        await Assertions.Expect(page.Locator(".msg-system", new() { HasText = "Offer sent to you by Carl Banks." })).ToBeVisibleAsync();

        // Chat both ways. The composer's hint is short enough for a phone.
        await Assertions.Expect(page.GetByLabel("Message")).ToHaveAttributeAsync("placeholder", "Message");
        await Say(page, "I can load at 9am tomorrow.");
        await Browser.Eventually(() => fromDriver.Any(m => m.GetProperty("message").GetString() == "I can load at 9am tomorrow."), "Carl gets the driver's message");
        await carl.Post($"/api/offers/{offerId}/chat/{Nwee}", new { message = "9am works. Dock 4.", client_message_id = Guid.NewGuid().ToString() });
        await Assertions.Expect(page.Locator(".msg-theirs .msg-bubble", new() { HasText = "9am works. Dock 4." })).ToBeVisibleAsync();
        await E2EServer.Screenshot(page, "22-driver-chat");

        // The counter shows once: as its card, without the audit line "You countered at $2,800.00." the same answer
        // stored after it. Read whole from the server, so every line the chat has is on the page.
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator(".msg-theirs .msg-bubble", new() { HasText = "9am works. Dock 4." })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("rate-card")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator(".msg-system", new() { HasText = "Offer sent to you by Carl Banks." })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".msg-system", new() { HasText = "countered" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Tapping_the_same_text_again_on_the_phone_opens_the_offer_and_another_phone_is_told_the_link_is_used()
    {
        using var carl = server.Client(await server.DispatcherToken("carl.banks"));
        var (offerId, links) = await carl.CreateOffer(Rodney);
        var page = await Phone();
        await page.GotoAsync(PathOf(links[Rodney]));
        await OnOffer(page, offerId);

        // A full page load, as from the text message app: the code is used up, the session on this phone is not.
        await page.GotoAsync(PathOf(links[Rodney]));
        await OnOffer(page, offerId);

        var otherPhone = await Phone();
        await otherPhone.GotoAsync(PathOf(links[Rodney]));
        await Assertions.Expect(otherPhone.GetByRole(AriaRole.Heading, new() { Name = "This link can't be opened" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task On_a_phone_every_control_of_the_offer_and_its_chat_is_a_44_px_tap_target_and_nothing_sticks_out()
    {
        using var carl = server.Client(await server.DispatcherToken("carl.banks"));
        // A place name and a note with no room to break: they must wrap, not widen the page.
        var (offerId, links) = await carl.CreateOfferFromUnbrokenPlace(Nwee, notes: "Gate code: " + new string('9', 80));
        var page = await Phone();
        await page.GotoAsync(PathOf(links[Nwee]));
        await OnOffer(page, offerId);
        await page.GetByLabel("Message").ScrollIntoViewIfNeededAsync();

        foreach (var control in new[] { page.GetByLabel("Insert emoji"), page.GetByLabel("Message"), page.GetByRole(AriaRole.Button, new() { Name = "Send" }) })
        {
            var box = (await control.BoundingBoxAsync())!;
            Assert.True(box.Width >= 44 && box.Height >= 44, $"{control} is {box.Width:0}×{box.Height:0} px");
        }
        await NothingSticksOut(page);

        // The emoji menu too: every emoji a thumb-sized cell, the menu inside the screen.
        await page.GetByLabel("Insert emoji").ClickAsync();
        var emoji = page.GetByRole(AriaRole.Menu, new() { Name = "Emoji" }).GetByRole(AriaRole.Menuitem);
        await Assertions.Expect(emoji).ToHaveCountAsync(24);
        foreach (var cell in await emoji.AllAsync())
        {
            var box = (await cell.BoundingBoxAsync())!;
            Assert.True(box.Width >= 44 && box.Height >= 44, $"emoji {await cell.InnerTextAsync()} is {box.Width:0}×{box.Height:0} px");
        }
        await NothingSticksOut(page);
        await E2EServer.Screenshot(page, "26-driver-emoji");
        await emoji.Nth(0).ClickAsync();
        await Assertions.Expect(page.GetByLabel("Message")).ToHaveValueAsync("👍");

        await page.GotoAsync("/driver");
        await page.GetByTestId("driver-offer-row").First.WaitForAsync();
        await NothingSticksOut(page);
    }

    [Fact]
    public async Task The_confirm_sheet_takes_the_focus_to_its_question_and_gives_it_back_when_closed()
    {
        using var carl = server.Client(await server.DispatcherToken("carl.banks"));
        var (offerId, links) = await carl.CreateOffer(Nwee);
        var page = await Phone();
        await page.GotoAsync(PathOf(links[Nwee]));
        await OnOffer(page, offerId);

        var accept = page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Accept") });
        await accept.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        var sheet = page.GetByRole(AriaRole.Dialog, new() { Name = "Confirm your answer" });
        await Assertions.Expect(sheet.GetByRole(AriaRole.Heading, new() { Name = "Accept this load?" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(sheet).ToHaveCountAsync(0);
        await Assertions.Expect(accept).ToBeFocusedAsync();

        // Counter → Next replaces the question: the focus follows it instead of dropping to the page.
        await page.GetByRole(AriaRole.Button, new() { Name = "Counter", Exact = true }).ClickAsync();
        await page.GetByLabel("Counter rate").FillAsync("2750");
        await page.GetByLabel("Counter rate").PressAsync("Enter");
        await Assertions.Expect(sheet.GetByRole(AriaRole.Heading, new() { Name = "Send counter of $2,750?" })).ToBeFocusedAsync();
    }

    private static async Task NothingSticksOut(IPage page)
    {
        var tooWide = await page.EvaluateAsync<string[]>(
            "() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1).map(e => e.className || e.tagName)");
        Assert.True(tooWide.Length == 0, $"{page.Url}: wider than the phone: {string.Join(", ", tooWide)}");
    }

    [Fact]
    public async Task A_server_error_loading_my_offers_or_an_offer_says_so_and_try_again_recovers()
    {
        using var carl = server.Client(await server.DispatcherToken("carl.banks"));
        var (offerId, links) = await carl.CreateOffer(Nwee);
        var page = await Phone();
        await page.GotoAsync(PathOf(links[Nwee]));
        await OnOffer(page, offerId);
        // Opening the offer sends a "viewed" mark; its answer makes the app re-read the offers. Left in the queue by the
        // navigation below, it would be sent again on the next page and that re-read could recover the page by itself.
        await ViewSent(page, carl, offerId, Nwee);

        var broken = true;
        await page.RouteAsync(new Regex("/api/offers(/\\d+)?(\\?.*)?$"), route => broken && route.Request.Method == "GET"
            ? route.FulfillAsync(new() { Status = 500, ContentType = "application/problem+json", Body = """{"title":"An error occurred while processing your request.","status":500}""" })
            : route.ContinueAsync());

        foreach (var (path, what, loaded) in new[]
        {
            ("/driver", "Could not load your offers", page.GetByTestId("driver-offer-row")),
            ($"/driver/offers/{offerId}", "Could not load the offer", page.Locator("[data-testid=driver-offer]")),
        })
        {
            broken = true;
            await page.GotoAsync(path);
            // The hub's first connect re-reads the offers (catch-up). Done while still broken, so that read can't be
            // what recovers the page instead of Try again (it once removed the button under the click).
            await page.WaitLive();
            var error = page.GetByRole(AriaRole.Alert).Filter(new() { HasText = what });
            await Assertions.Expect(error).ToContainTextAsync("An error occurred while processing your request.");
            broken = false;
            await error.GetByRole(AriaRole.Button, new() { Name = "Try again" }).ClickAsync();
            await Assertions.Expect(loaded.First).ToBeVisibleAsync();
        }
    }

    [Fact]
    public async Task Messages_typed_offline_reach_the_dispatcher_exactly_once_and_in_order_after_reconnect()
    {
        var carlToken = await server.DispatcherToken("carl.banks");
        using var carl = server.Client(carlToken);
        var (offerId, links) = await carl.CreateOffer(Nwee);
        var (hub, fromDriver) = await CarlListens(carlToken, offerId, Nwee);
        await using var _ = hub;
        var page = await Phone();
        await page.GotoAsync(PathOf(links[Nwee]));
        await OnOffer(page, offerId);
        await page.WaitLive();
        // The "viewed" mark goes out when the offer opens: sent before the phone goes offline, not queued with the rest.
        await ViewSent(page, carl, offerId, Nwee);

        await page.Context.SetOfflineAsync(true);
        foreach (var text in new[] { "offline one", "offline two", "offline three" })
        {
            await Say(page, text);
        }
        await Assertions.Expect(page.Locator(".msg-mine[data-state=pending]")).ToHaveCountAsync(3);
        // An answer made offline waits too.
        await page.GetByRole(AriaRole.Button, new() { Name = "Counter", Exact = true }).ClickAsync();
        await page.GetByLabel("Counter rate").FillAsync("2700");
        await page.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Yes, send $2,700" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("queued-answer")).ToContainTextAsync("Counter $2,700");
        await E2EServer.Screenshot(page, "23-driver-offline-pending");
        // Meanwhile the dispatcher writes; the phone must catch up once back.
        await carl.Post($"/api/offers/{offerId}/chat/{Nwee}", new { message = "Are you there?", client_message_id = Guid.NewGuid().ToString() });
        await Task.Delay(1500);
        Assert.Empty(fromDriver);
        Assert.Equal("viewed", (await Proposal(carl, offerId, Nwee)).GetProperty("status").GetString());

        await page.Context.SetOfflineAsync(false);

        await Browser.Eventually(() => fromDriver.Count >= 3, "three messages at the dispatcher");
        await Task.Delay(1500); // any duplicate would arrive by now
        Assert.Equal(["offline one", "offline two", "offline three"], fromDriver.Select(m => m.GetProperty("message").GetString()));
        var stored = (await carl.Get($"/api/offers/{offerId}/chat/{Nwee}")).EnumerateArray()
            .Where(m => m.GetProperty("sender_type").GetString() == "driver" && m.GetProperty("message_type").GetString() == "text").Select(m => m.GetProperty("message").GetString()).ToList();
        Assert.Equal(["offline one", "offline two", "offline three"], stored);
        await Assertions.Expect(page.Locator(".msg-mine[data-state=pending]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator(".msg-theirs .msg-bubble", new() { HasText = "Are you there?" })).ToBeVisibleAsync();
        await ProposalBecomes(carl, offerId, Nwee, "counter_offered");
        Assert.Equal(2700m, (await Proposal(carl, offerId, Nwee)).GetProperty("driver_proposed_rate").GetDecimal());
        await Assertions.Expect(page.GetByTestId("queued-answer")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("my-counter")).ToHaveTextAsync("$2,700");
        await Assertions.Expect(page.Locator(".msg-mine .msg-bubble")).ToHaveTextAsync(["offline one", "offline two", "offline three"]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_decline_with_a_reason_reads_as_the_decline_then_its_reason_on_both_sides_also_when_made_offline(bool offline)
    {
        var carlToken = await server.DispatcherToken("carl.banks");
        using var carl = server.Client(carlToken);
        var (offerId, links) = await carl.CreateOffer(Nwee);
        var page = await Phone();
        await page.GotoAsync(PathOf(links[Nwee]));
        await OnOffer(page, offerId);
        await page.WaitLive();
        await ViewSent(page, carl, offerId, Nwee);

        await page.Context.SetOfflineAsync(offline);
        await page.GetByRole(AriaRole.Button, new() { Name = "Decline", Exact = true }).ClickAsync();
        await page.GetByLabel("Reason (optional)").FillAsync("Too far from my location");
        await page.GetByRole(AriaRole.Button, new() { Name = "Yes, decline" }).ClickAsync();
        if (offline)
        {
            // Waiting with its answer, not in the chat ahead of it.
            await Assertions.Expect(page.GetByTestId("queued-answer")).ToContainTextAsync("Decline (Too far from my location)");
            await Assertions.Expect(page.Locator(".msg-mine")).ToHaveCountAsync(0);
            await page.Context.SetOfflineAsync(false);
        }
        await ProposalBecomes(carl, offerId, Nwee, "rejected");
        await Assertions.Expect(page.Locator(".msg-mine .msg-bubble")).ToHaveTextAsync(["Declined: Too far from my location"]);
        await Assertions.Expect(page.Locator(".msg-mine[data-state=pending]")).ToHaveCountAsync(0);
        var onPhone = await page.Locator(".msg-system, .msg-mine .msg-bubble").AllInnerTextsAsync();
        var declined = onPhone.ToList().FindIndex(t => t.Contains("declined the offer", StringComparison.OrdinalIgnoreCase));
        Assert.True(declined >= 0 && declined == onPhone.Count - 2 && onPhone[^1] == "Declined: Too far from my location", string.Join(" | ", onPhone));

        var stored = (await carl.Get($"/api/offers/{offerId}/chat/{Nwee}")).EnumerateArray().Select(m => m.GetProperty("message").GetString()!).ToList();
        Assert.Equal("Declined: Too far from my location", stored[^1]);
        Assert.Contains("declined the offer", stored[^2]);
    }

    [Fact]
    public async Task An_accept_that_reaches_the_server_after_the_rate_changed_accepts_nothing_and_the_driver_reads_why_and_the_new_rate()
    {
        var carlToken = await server.DispatcherToken("carl.banks");
        using var carl = server.Client(carlToken);
        var (offerId, links) = await carl.CreateOffer(Nwee);
        var page = await Phone();
        await page.GotoAsync(PathOf(links[Nwee]));
        await OnOffer(page, offerId);
        await page.WaitLive();
        await ProposalBecomes(carl, offerId, Nwee, "viewed");

        // Accepted without signal: the answer waits on the phone, with the rate the driver agreed to.
        await page.Context.SetOfflineAsync(true);
        await page.GetByRole(AriaRole.Button, new() { Name = "Accept $2,500" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Yes, accept" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("queued-answer")).ToContainTextAsync("Accept $2,500");
        // Meanwhile Carl lowers the rate.
        await carl.Put($"/api/offers/{offerId}", new
        {
            pickup_location = "Rockford, IL", pickup_lat = 42.2711, pickup_lon = -89.094,
            delivery_location = "Dallas, TX", delivery_lat = 32.7767, delivery_lon = -96.797,
            weight_lbs = 38000, dimensions = "53' dry van", proposed_rate = 2300, notes = "Team E2E",
        });

        await page.Context.SetOfflineAsync(false);
        await Assertions.Expect(page.GetByTestId("queued-answer"))
            .ToContainTextAsync("Accept $2,500 — not sent: The rate on the table is now $2,300.00, not $2,500.00. Nothing was accepted");
        await Assertions.Expect(page.GetByTestId("rate")).ToHaveTextAsync("$2,300");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Accept $2,300" })).ToBeEnabledAsync();
        Assert.Equal("viewed", (await Proposal(carl, offerId, Nwee)).GetProperty("status").GetString());
        // Told as an alert (a screen reader speaks it), and the long reason wraps beside Dismiss, not Dismiss itself.
        await Assertions.Expect(page.GetByRole(AriaRole.Alert, new() { Name = "Answers not sent" })).ToContainTextAsync("not sent");
        var dismissLines = await page.GetByRole(AriaRole.Button, new() { Name = "Dismiss" })
            .EvaluateAsync<int>("b => { const r = document.createRange(); r.selectNodeContents(b); return new Set([...r.getClientRects()].map(x => Math.round(x.top))).size; }");
        Assert.Equal(1, dismissLines);
        await E2EServer.Screenshot(page, "26-driver-accept-refused-rate-changed");
    }

    [Fact]
    public async Task Accept_on_the_dispatchers_counter_back_card_asks_first_and_the_chip_says_whose_turn_it_is()
    {
        using var carl = server.Client(await server.DispatcherToken("carl.banks"));
        var (offerId, links) = await carl.CreateOffer(Nwee);
        var page = await Phone();
        await page.GotoAsync(PathOf(links[Nwee]));
        await OnOffer(page, offerId);
        await page.WaitLive();
        await page.GetByRole(AriaRole.Button, new() { Name = "Counter", Exact = true }).ClickAsync();
        await page.GetByLabel("Counter rate").FillAsync("2800");
        await page.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Yes, send $2,800" }).ClickAsync();
        // The sheet gives the focus back to Counter, also while the answer is on its way (the button says it's not
        // available then, but keeps the focus).
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Counter", Exact = true })).ToBeFocusedAsync();
        await ProposalBecomes(carl, offerId, Nwee, "counter_offered");
        var proposalId = (await Proposal(carl, offerId, Nwee)).GetProperty("id").GetInt32();
        await carl.Put($"/api/proposals/{proposalId}/respond", new { action = "counter", rate = 2650 });

        // Not "Countered $2,800" any more: the dispatcher answered, and it is the driver's move.
        await Assertions.Expect(page.GetByTestId("status-chip")).ToHaveTextAsync("Dispatcher offers $2,650");

        // One tap on the card's Accept only asks, as the big Accept button does; Cancel leaves the load unanswered.
        var accept = page.GetByTestId("rate-card").Last.GetByRole(AriaRole.Button, new() { Name = "Accept $2,650" });
        await accept.ClickAsync();
        var sheet = page.GetByRole(AriaRole.Dialog, new() { Name = "Confirm your answer" });
        await Assertions.Expect(sheet).ToContainTextAsync("Rockford, IL → Dallas, TX for $2,650");
        await sheet.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Assertions.Expect(sheet).ToHaveCountAsync(0);
        Assert.Equal("counter_offered", (await Proposal(carl, offerId, Nwee)).GetProperty("status").GetString());

        await accept.ClickAsync();
        await sheet.GetByRole(AriaRole.Button, new() { Name = "Yes, accept" }).ClickAsync();
        await ProposalBecomes(carl, offerId, Nwee, "accepted");
        Assert.Equal(2650m, (await Proposal(carl, offerId, Nwee)).GetProperty("agreed_rate").GetDecimal());
        // The answer buttons are gone; the focus is on the banner that says what happened, not at the top of the page.
        await Assertions.Expect(page.GetByTestId("offer-banner")).ToBeFocusedAsync();
        await Assertions.Expect(page.GetByTestId("offer-banner")).ToContainTextAsync("You accepted");
    }

    [Fact]
    public async Task A_second_drivers_page_flips_to_load_taken_when_the_first_is_booked()
    {
        var carlToken = await server.DispatcherToken("carl.banks");
        using var carl = server.Client(carlToken);
        var (offerId, links) = await carl.CreateOffer(Nwee, Rodney);
        var nwee = await Phone();
        var rodney = await Phone();
        await nwee.GotoAsync(PathOf(links[Nwee]));
        await rodney.GotoAsync(PathOf(links[Rodney]));
        await OnOffer(rodney, offerId);
        await rodney.WaitLive();
        await Assertions.Expect(rodney.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Accept") })).ToBeVisibleAsync();

        await nwee.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Accept") }).ClickAsync();
        await nwee.GetByRole(AriaRole.Button, new() { Name = "Yes, accept" }).ClickAsync();
        await ProposalBecomes(carl, offerId, Nwee, "accepted");
        await carl.Post($"/api/offers/{offerId}/book", new { driver_id = Nwee });

        await Assertions.Expect(rodney.GetByTestId("offer-banner")).ToContainTextAsync("Load taken");
        await Assertions.Expect(rodney.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Accept") })).ToHaveCountAsync(0);
        await Assertions.Expect(rodney.GetByRole(AriaRole.Button, new() { Name = "Counter", Exact = true })).ToHaveCountAsync(0);
        // The closed chat takes no input: no Tab stop hides under its notice (the emoji button stayed one).
        await Assertions.Expect(rodney.GetByLabel("Message")).ToBeDisabledAsync();
        await Assertions.Expect(rodney.GetByRole(AriaRole.Button, new() { Name = "Insert emoji" })).ToBeDisabledAsync();
        await Assertions.Expect(nwee.GetByTestId("offer-banner")).ToContainTextAsync("You're booked");
        await E2EServer.Screenshot(rodney, "24-driver-load-taken");
    }

    [Fact]
    public async Task Carl_copies_the_drivers_link_from_the_outbox_and_the_driver_gets_booked_without_a_password()
    {
        var carlToken = await server.DispatcherToken("carl.banks");
        using var carl = server.Client(carlToken);
        var (offerId, _) = await carl.CreateOffer(Nwee);

        var desk = await server.NewPage();
        await desk.SignIn("carl.banks");
        await desk.GotoAsync($"/offers/{offerId}");
        await desk.GetByTestId("outbox-toggle").ClickAsync();
        var entry = desk.Locator($"[data-testid=outbox-entry][data-truck-id='{Nwee}']");
        await Assertions.Expect(entry).ToContainTextAsync("copy the link");
        await entry.GetByRole(AriaRole.Button, new() { Name = "Copy link" }).ClickAsync();
        await Assertions.Expect(entry.GetByRole(AriaRole.Button, new() { Name = "Copied ✓" })).ToBeVisibleAsync();
        var link = await desk.EvaluateAsync<string>("() => navigator.clipboard.readText()");
        Assert.Matches("/driver/link/[A-Za-z0-9_-]{20,}$", link);
        await E2EServer.Screenshot(desk, "25-dispatcher-driver-links");

        var phone = await Phone();
        await phone.GotoAsync(PathOf(link));
        await OnOffer(phone, offerId);
        await phone.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Accept") }).ClickAsync();
        await phone.GetByRole(AriaRole.Button, new() { Name = "Yes, accept" }).ClickAsync();
        await ProposalBecomes(carl, offerId, Nwee, "accepted");
        await carl.Post($"/api/offers/{offerId}/book", new { driver_id = Nwee });
        await Assertions.Expect(phone.GetByTestId("offer-banner")).ToContainTextAsync("You're booked");
    }

    /// <summary>The phone's "viewed" mark reached the server and left the phone's answer queue (it is never shown there).</summary>
    private static async Task ViewSent(IPage page, HttpClient carl, int offerId, int driverId)
    {
        await ProposalBecomes(carl, offerId, driverId, "viewed");
        await page.WaitForFunctionAsync("key => (localStorage.getItem(key) ?? '[]') === '[]'", $"driver-offers.responses.driver.{driverId}");
    }

    private static async Task<JsonElement> Proposal(HttpClient carl, int offerId, int driverId) =>
        (await carl.Get($"/api/offers/{offerId}/proposals")).EnumerateArray().Single(p => p.GetProperty("driver_id").GetInt32() == driverId);

    private static async Task ProposalBecomes(HttpClient carl, int offerId, int driverId, string status)
    {
        var until = DateTime.UtcNow.AddSeconds(15);
        while ((await Proposal(carl, offerId, driverId)).GetProperty("status").GetString() != status)
        {
            Assert.True(DateTime.UtcNow < until, $"proposal of driver {driverId} never became {status}");
            await Task.Delay(100);
        }
    }
}
