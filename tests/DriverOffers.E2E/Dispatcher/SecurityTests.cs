using DriverOffers.E2E.Infrastructure;
using Microsoft.Playwright;

namespace DriverOffers.E2E.Dispatcher;

/// <summary>The web app under its Content-Security-Policy, with markup typed by the other side shown as text.</summary>
public sealed class SecurityTests(E2EServer server) : BrowserTest, IClassFixture<E2EServer>
{
    /// <summary>Records every CSP violation the page reports, from before its first script runs.</summary>
    private const string RecordViolations =
        "window.__violations = []; document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));";

    private static Task<string[]> Violations(IPage page) => page.EvaluateAsync<string[]>("() => window.__violations");

    [Fact]
    public async Task Dispatcher_and_driver_pages_run_under_their_content_security_policy_and_show_typed_markup_as_text()
    {
        using var carl = server.Client(await server.DispatcherToken("carl.banks"));
        var offer = await carl.Post("/api/offers", new
        {
            pickup_location = "Rockford, IL", delivery_location = "Dallas, TX", proposed_rate = 2300,
            notes = "<img src=x onerror=\"window.__injected = 'notes'\">Dock 4", driver_ids = new[] { 107 },
        });
        var offerId = offer.GetProperty("id").GetInt32();
        var link = offer.GetProperty("drivers")[0].GetProperty("link").GetString()!;
        using var nwee = server.Client(await server.DriverTokenFromLink(link));
        await nwee.Post($"/api/offers/{offerId}/chat/107",
            new { message = "<script>window.__injected = 'chat'</script><b>bold?</b>", client_message_id = Guid.NewGuid().ToString() });

        var page = await server.NewPage();
        await page.AddInitScriptAsync(RecordViolations);
        var first = await page.GotoAsync("/");
        Assert.NotNull(first);
        var policy = await first.HeaderValueAsync("content-security-policy");
        Assert.Contains("script-src 'self'", policy);
        Assert.Contains("frame-ancestors 'none'", policy);
        Assert.Equal("no-referrer", await first.HeaderValueAsync("referrer-policy"));

        await page.SignIn("carl.banks");
        await page.GotoAsync($"/offers/{offerId}?driver=107");
        await page.WaitLive();
        await Assertions.Expect(page.Locator(".msg-theirs .msg-bubble").Last).ToHaveTextAsync("<script>window.__injected = 'chat'</script><b>bold?</b>");
        var composer = page.GetByRole(AriaRole.Textbox, new() { Name = "Message" });
        await composer.FillAsync("Shown as text, thanks");
        await composer.PressAsync("Enter");
        await Assertions.Expect(page.Locator(".msg-mine[data-state=sent] .msg-bubble", new() { HasText = "Shown as text, thanks" })).ToBeVisibleAsync();
        Assert.Empty(await Violations(page));
        Assert.Null(await page.EvaluateAsync<string?>("() => window.__injected ?? null"));

        // The driver's phone, from a fresh link (the first was used above), with the notes on screen.
        var phone = await server.NewPage(390, 844);
        await phone.AddInitScriptAsync(RecordViolations);
        var relink = await carl.Post("/api/offers", new
        {
            pickup_location = "Rockford, IL", delivery_location = "Dallas, TX", proposed_rate = 2300,
            notes = "<img src=x onerror=\"window.__injected = 'notes'\">Dock 4", driver_ids = new[] { 120 },
        });
        var driverLink = new Uri(relink.GetProperty("drivers")[0].GetProperty("link").GetString()!).PathAndQuery;
        await phone.GotoAsync(driverLink);
        await Assertions.Expect(phone.Locator(".drv-notes")).ToHaveTextAsync("<img src=x onerror=\"window.__injected = 'notes'\">Dock 4");
        Assert.Empty(await Violations(phone));
        Assert.Null(await phone.EvaluateAsync<string?>("() => window.__injected ?? null"));

        // Were markup ever to get through as HTML, an inline script in it would not run.
        await phone.EvaluateAsync("() => { const s = document.createElement('script'); s.textContent = 'window.__injected = 1'; document.body.append(s); }");
        await Browser.Eventually(() => Violations(phone).GetAwaiter().GetResult().Length > 0, "the blocked inline script is reported");
        Assert.StartsWith("script-src", (await Violations(phone))[0]);
        Assert.Null(await phone.EvaluateAsync<string?>("() => window.__injected ?? null"));
    }
}
