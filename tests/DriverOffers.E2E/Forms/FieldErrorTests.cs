using System.Text.RegularExpressions;
using DriverOffers.E2E.Infrastructure;
using Microsoft.Playwright;

namespace DriverOffers.E2E.Forms;

/// <summary>
/// In every form a screen reader names a field by its label alone and reads what is wrong as the field's description,
/// with the field marked invalid: the error is not part of the label.
/// </summary>
public sealed class FieldErrorTests(E2EServer server) : BrowserTest, IClassFixture<E2EServer>
{
    private static async Task NamedAndDescribed(ILocator field, string name, string error)
    {
        await Assertions.Expect(field).ToHaveAccessibleNameAsync(name);
        await Assertions.Expect(field).ToHaveAccessibleDescriptionAsync(error);
        await Assertions.Expect(field).ToHaveAttributeAsync("aria-invalid", "true");
    }

    [Fact]
    public async Task A_refused_dispatcher_sign_in_names_each_field_by_its_label_and_reads_the_error_as_its_description()
    {
        var page = await server.NewPage(1366, 768);
        await page.GotoAsync("/login");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        var username = page.Locator("input[name=username]");
        await NamedAndDescribed(username, "Username or e-mail", "Enter your username or e-mail.");
        await NamedAndDescribed(page.Locator("input[name=password]"), "Password", "Enter your password.");
        await Assertions.Expect(username).ToBeFocusedAsync();

        // Typing a value and signing in clears the marks.
        await username.FillAsync("carl.banks");
        await page.Locator("input[name=password]").FillAsync(Server.Data.DemoData.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.Locator(".ttable-row").First.WaitForAsync();
    }

    [Fact]
    public async Task Fields_of_the_offer_form_keep_their_label_as_name_when_creating_and_when_editing()
    {
        var page = await server.NewPage(1366, 768);
        await page.SignIn("carl.banks");
        await page.Locator(".ttable-row").First.Locator("input[type=checkbox]").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Make Offer") }).ClickAsync();
        var modal = page.GetByRole(AriaRole.Dialog);
        await modal.Locator("input[name=proposed_rate]").FillAsync("-5");
        await modal.Locator("input[name=expires_at]").FillAsync("2020-01-01T10:00");
        await modal.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Send offer") }).ClickAsync();
        await NamedAndDescribed(modal.Locator("input[name=pickup_location]"), "Pickup location", "Pickup location is required.");
        await NamedAndDescribed(modal.Locator("input[name=proposed_rate]"), "Rate (USD)", "Rate must be greater than 0.");
        // A hint beside the label ("optional") is read after the error, not as part of the name.
        await NamedAndDescribed(modal.Locator("input[name=expires_at]"), "Offer expires", "Expiry must be in the future. optional");
        await modal.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();

        using var carl = server.Client(await server.DispatcherToken("carl.banks"));
        var (offerId, _) = await carl.CreateOffer(107);
        await page.GotoAsync($"/offers/{offerId}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Edit", Exact = true }).ClickAsync();
        var edit = page.GetByRole(AriaRole.Dialog, new() { Name = $"Edit offer #{offerId}" });
        await edit.Locator("input[name=proposed_rate]").FillAsync("");
        await edit.Locator("input[name=weight_lbs]").FillAsync("250000");
        await edit.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await NamedAndDescribed(edit.Locator("input[name=proposed_rate]"), "Rate (USD)", "Rate is required.");
        await NamedAndDescribed(edit.Locator("input[name=weight_lbs]"), "Weight (lbs)", "Weight can be at most 200,000.");
        await Assertions.Expect(edit.Locator("input[name=proposed_rate]")).ToBeFocusedAsync();
    }

    [Fact]
    public async Task The_dispatchers_counter_back_in_the_chat_names_its_rate_field_and_describes_a_wrong_rate()
    {
        using var carl = server.Client(await server.DispatcherToken("carl.banks"));
        var (offerId, links) = await carl.CreateOffer(107);
        using var nwee = server.Client(await server.DriverTokenFromLink(links[107]));
        var proposalId = (await nwee.Get($"/api/offers/{offerId}")).GetProperty("my_proposal").GetProperty("id").GetInt32();
        await nwee.Put($"/api/proposals/{proposalId}/respond", new { action = "counter", rate = 2900 });

        var page = await server.NewPage(1366, 768);
        await page.SignIn("carl.banks");
        await page.GotoAsync($"/offers/{offerId}?driver=107");
        var card = page.GetByTestId("rate-card").Last;
        await card.GetByRole(AriaRole.Button, new() { Name = "Counter", Exact = true }).ClickAsync();
        var rate = card.Locator("input");
        await rate.FillAsync("0");
        await rate.PressAsync("Enter");
        await NamedAndDescribed(rate, "Counter rate (USD)", "Enter a rate greater than 0.");

        // Esc leaves the counter form and puts the cursor back on Counter.
        await rate.PressAsync("Escape");
        await Assertions.Expect(card.GetByRole(AriaRole.Button, new() { Name = "Counter", Exact = true })).ToBeFocusedAsync();
    }

    [Fact]
    public async Task On_a_phone_the_drivers_counter_and_the_phone_sign_in_name_their_field_and_describe_what_is_wrong()
    {
        using var carl = server.Client(await server.DispatcherToken("carl.banks"));
        var (offerId, links) = await carl.CreateOffer(120);
        var phone = await server.NewPage(390, 844);
        await phone.GotoAsync(new Uri(links[120]).PathAndQuery);
        await phone.Locator($"[data-testid=driver-offer][data-offer-id='{offerId}']").WaitForAsync();
        await phone.GetByRole(AriaRole.Button, new() { Name = "Counter", Exact = true }).ClickAsync();
        var rate = phone.GetByRole(AriaRole.Dialog).Locator("input");
        await rate.FillAsync("0");
        await NamedAndDescribed(rate, "Counter rate in USD (now $2,500)", "Enter a rate above $0 and at most $1,000,000, in dollars and cents.");
        await rate.FillAsync("2700");
        await Assertions.Expect(rate).Not.ToHaveAttributeAsync("aria-invalid", "true");

        var signIn = await server.NewPage(390, 844);
        await signIn.GotoAsync("/driver/sign-in");
        var number = signIn.Locator("input[type=tel]");
        await number.FillAsync("12");
        await signIn.GetByRole(AriaRole.Button, new() { Name = "Text me a code" }).ClickAsync();
        await Assertions.Expect(number).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(number).ToHaveAccessibleNameAsync("Cell phone");
        await Assertions.Expect(number).ToHaveAccessibleDescriptionAsync(new Regex("phone", RegexOptions.IgnoreCase));

        await number.FillAsync("(779) 513-2475");
        await signIn.GetByRole(AriaRole.Button, new() { Name = "Text me a code" }).ClickAsync();
        var code = signIn.Locator("input[autocomplete=one-time-code]");
        await code.FillAsync("000000");
        await signIn.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await NamedAndDescribed(code, "6-digit code", "The code is wrong, expired or used up. Check the text message, or ask for a new code.");
    }
}
