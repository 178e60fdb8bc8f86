using System.Text.RegularExpressions;
using DriverOffers.E2E.Infrastructure;
using Microsoft.Playwright;

namespace DriverOffers.E2E.Dispatcher;

public sealed class SessionTests(E2EServer server) : BrowserTest, IClassFixture<E2EServer>
{
    [Fact]
    public async Task An_expired_session_returns_to_sign_in_and_keeps_what_was_typed()
    {
        using var carl = server.Client(await server.DispatcherToken("carl.banks"));
        var (offerId, _) = await carl.CreateOffer(107);
        var page = await server.NewPage();
        await page.SignIn("carl.banks");

        // The session survives a reload.
        await page.ReloadAsync();
        await page.Locator(".ttable-row").First.WaitForAsync();

        await page.GotoAsync($"/offers/{offerId}?driver=107");
        var composer = page.GetByRole(AriaRole.Textbox, new() { Name = "Message" });
        // A laptop has room for the keyboard hint.
        await Assertions.Expect(composer).ToHaveAttributeAsync("placeholder", new Regex("Enter to send"));
        await composer.FillAsync("Half-typed reply to Nwee");

        // The token stops being accepted (expired or revoked): the next call answers 401.
        await page.EvaluateAsync("() => { const s = JSON.parse(localStorage.getItem('driver-offers.session')); s.token = 'x' + s.token; localStorage.setItem('driver-offers.session', JSON.stringify(s)); }");
        await page.ReloadAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/login$"));
        await Assertions.Expect(page.Locator(".notice")).ToContainTextAsync("Your session ended");

        await page.Locator("input[name=password]").FillAsync(Server.Data.DemoData.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(Regex.Escape($"/offers/{offerId}?driver=107") + "$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Textbox, new() { Name = "Message" })).ToHaveValueAsync("Half-typed reply to Nwee");

        // Sign out ends the session for good: a reload stays on sign-in, and the server refuses the token from then on
        // (a copy of it taken from this computer is no use).
        var token = await page.EvaluateAsync<string>("() => JSON.parse(localStorage.getItem('driver-offers.session')).token");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/login$"));
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("input[name=username]")).ToHaveValueAsync("carl.banks");
        Assert.EndsWith("/login", page.Url);
        using var copy = server.Client(token);
        var until = DateTime.UtcNow.AddSeconds(15);
        while ((await copy.GetAsync("/api/offers")).StatusCode != System.Net.HttpStatusCode.Unauthorized)
        {
            Assert.True(DateTime.UtcNow < until, "the signed-out token is still accepted");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task Signing_out_or_a_refused_token_in_one_tab_signs_out_the_other_tabs_and_signing_in_again_lets_them_back()
    {
        var first = await server.NewPage();
        await first.SignIn("carl.banks");
        await first.WaitLive();
        var second = await first.Context.NewPageAsync();
        await second.GotoAsync("/offers");
        await second.WaitLive();

        await first.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Assertions.Expect(second).ToHaveURLAsync(new Regex("/login$"));
        await Assertions.Expect(second.Locator(".notice")).ToHaveCountAsync(0);

        // Signing in in one tab lets the other back where it was.
        await first.Locator("input[name=password]").FillAsync(Server.Data.DemoData.Password);
        await first.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(second).ToHaveURLAsync(new Regex("/offers$"));
        await second.WaitLive();

        // The token stops being accepted: the tab whose call is refused (401) goes to sign-in, and so does the other.
        await second.EvaluateAsync("() => { const s = JSON.parse(localStorage.getItem('driver-offers.session')); s.token = 'x' + s.token; localStorage.setItem('driver-offers.session', JSON.stringify(s)); }");
        await second.ReloadAsync();
        await Assertions.Expect(second).ToHaveURLAsync(new Regex("/login$"));
        await Assertions.Expect(first).ToHaveURLAsync(new Regex("/login$"));
        await Assertions.Expect(first.Locator(".notice")).ToContainTextAsync("Your session ended");
    }

    [Fact]
    public async Task A_driver_who_lands_on_the_dispatcher_sign_in_finds_the_phone_sign_in_and_the_way_back()
    {
        var page = await server.NewPage(375, 740);
        await page.GotoAsync("/login");
        // The whole sign-in card fits a phone's screen.
        var card = await page.Locator(".login-card").BoundingBoxAsync();
        Assert.NotNull(card);
        Assert.InRange(card.X, 0, 375);
        Assert.InRange(card.X + card.Width, 0, 375);
        await page.GetByRole(AriaRole.Link, new() { Name = "Sign in with your phone" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/driver/sign-in$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Textbox).First).ToBeVisibleAsync();
        // A dispatcher who took the wrong link gets back without editing the address.
        await page.GetByRole(AriaRole.Link, new() { Name = "Sign in with your username" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/login$"));
        await Assertions.Expect(page.Locator(".login-card")).ToBeVisibleAsync();
    }
}
