using System.Text.RegularExpressions;
using DriverOffers.E2E.Infrastructure;
using Microsoft.Playwright;

namespace DriverOffers.E2E.Dispatcher;

public sealed class MakeOfferTests(E2EServer server) : BrowserTest, IClassFixture<E2EServer>
{
    [Fact]
    public async Task Carl_filters_trucks_near_an_address_copies_three_numbers_and_makes_an_offer()
    {
        var page = await server.NewPage();
        await page.SignIn("carl.banks", screenshot: "01-sign-in");
        await page.WaitLive();

        // Distance from Rockford, IL: a distance column appears, sorted nearest first, limited by the radius.
        await page.GetByRole(AriaRole.Combobox, new() { Name = "Distance from address" }).FillAsync("Rockford");
        await page.GetByRole(AriaRole.Option, new() { Name = "Rockford, IL" }).First.ClickAsync();
        await page.GetByLabel("Radius").SelectOptionAsync("150");
        var distances = page.Locator(".ttable-row [data-col=distance]");
        await distances.First.WaitForAsync();
        var miles = (await distances.AllInnerTextsAsync()).Select(t => double.Parse(t.Replace(" mi", "").Replace(",", ""))).ToList();
        Assert.True(miles.Count >= 3, $"expected 3+ trucks within 150 mi of Rockford, got {miles.Count}");
        Assert.Equal(miles.Order().ToList(), miles);
        Assert.All(miles, m => Assert.InRange(m, 0, 150));
        Assert.Equal("107", await page.Locator(".ttable-row").First.GetAttributeAsync("data-truck-id"));

        // Select the three nearest; Make Offer appears only now.
        Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Make Offer") }).CountAsync());
        var rows = page.Locator(".ttable-row");
        var phones = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            await rows.Nth(i).Locator("input[type=checkbox]").CheckAsync();
            phones.Add(await rows.Nth(i).Locator(".mono").InnerTextAsync());
        }
        await E2EServer.Screenshot(page, "02-truck-table");

        await page.GetByRole(AriaRole.Button, new() { Name = "Copy Numbers" }).ClickAsync();
        var clipboard = await page.EvaluateAsync<string>("() => navigator.clipboard.readText()");
        Assert.Equal(string.Join(", ", phones), clipboard);

        // The create-offer modal opens over the table.
        await page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Make Offer") }).ClickAsync();
        var modal = page.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(modal.Locator(".chip")).ToHaveCountAsync(3);
        await modal.GetByRole(AriaRole.Combobox, new() { Name = "Pickup location" }).FillAsync("Rockford");
        await page.GetByRole(AriaRole.Option, new() { Name = "Rockford, IL" }).First.ClickAsync();
        await modal.GetByRole(AriaRole.Combobox, new() { Name = "Delivery location" }).FillAsync("Dallas, TX");
        await page.GetByRole(AriaRole.Option, new() { NameRegex = new Regex("^Dallas, TX") }).First.ClickAsync();
        await modal.Locator("input[name=proposed_rate]").FillAsync("2500");
        await modal.Locator("input[name=weight_lbs]").FillAsync("38000");
        // Distance was estimated from the two places; rate per mile follows it.
        var distance = double.Parse(await modal.Locator("input[name=distance_miles]").InputValueAsync());
        Assert.InRange(distance, 800, 1100);
        await Assertions.Expect(modal.GetByTestId("rate-per-mile")).ToHaveTextAsync($"${2500 / distance:0.00}/mi");
        await E2EServer.Screenshot(page, "03-create-offer");
        await modal.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Send offer to 3") }).ClickAsync();

        // Lands on the offers page with the new offer selected and its three drivers listed.
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/offers/\\d+"));
        var offerId = Regex.Match(page.Url, "/offers/(\\d+)").Groups[1].Value;
        await Assertions.Expect(page.Locator($".offer-card[data-offer-id='{offerId}']")).ToHaveAttributeAsync("aria-pressed", "true");
        await Assertions.Expect(page.Locator(".driver-row")).ToHaveCountAsync(3);
        await Assertions.Expect(page.Locator(".driver-row[data-driver-id='107']")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".msg-system").First).ToBeVisibleAsync();
        await E2EServer.Screenshot(page, "04-offers-page");
    }

    [Fact]
    public async Task The_offer_form_opens_on_the_pickup_field_and_a_refused_submit_marks_each_wrong_field_and_focuses_the_first()
    {
        var page = await server.NewPage();
        await page.SignIn("carl.banks");
        await page.Locator(".ttable-row").First.Locator("input[type=checkbox]").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Make Offer") }).ClickAsync();
        var modal = page.GetByRole(AriaRole.Dialog);
        var pickup = modal.GetByRole(AriaRole.Combobox, new() { Name = "Pickup location" });
        await Assertions.Expect(pickup).ToBeFocusedAsync();

        await modal.Locator("input[name=proposed_rate]").FillAsync("-5");
        await modal.Locator("input[name=distance_miles]").FillAsync("abc");
        await modal.Locator("input[name=dimensions]").FillAsync(new string('d', 120));
        await modal.Locator("input[name=pickup_window_start]").FillAsync("2030-12-05T10:00");
        await modal.Locator("input[name=pickup_window_end]").FillAsync("2030-12-04T10:00");
        await modal.Locator("textarea[name=notes]").FillAsync(new string('n', 4001));
        await modal.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Send offer") }).ClickAsync();

        await Assertions.Expect(pickup).ToBeFocusedAsync();
        var expected = new Dictionary<string, string>
        {
            ["input[name=pickup_location]"] = "Pickup location is required.",
            ["input[name=delivery_location]"] = "Delivery location is required.",
            ["input[name=proposed_rate]"] = "Rate must be greater than 0.",
            ["input[name=distance_miles]"] = "Distance must be a number.",
            ["input[name=dimensions]"] = "Dimensions can be at most 100 characters.",
            ["input[name=pickup_window_end]"] = "Pickup window must end after it starts.",
            ["textarea[name=notes]"] = "Notes can be at most 4000 characters.",
        };
        foreach (var (selector, error) in expected)
        {
            var field = modal.Locator(selector);
            await Assertions.Expect(field).ToHaveAttributeAsync("aria-invalid", "true");
            // The error first; a hint beside the label ("edited") may follow it.
            await Assertions.Expect(field).ToHaveAccessibleDescriptionAsync(new Regex("^" + Regex.Escape(error)));
        }
        // Only the wrong end of the window is marked; the valid fields are not.
        await Assertions.Expect(modal.Locator("input[name=pickup_window_start]")).Not.ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(modal.Locator("input[name=weight_lbs]")).Not.ToHaveAttributeAsync("aria-invalid", "true");
        await E2EServer.Screenshot(page, "03b-create-offer-errors");
    }
}
