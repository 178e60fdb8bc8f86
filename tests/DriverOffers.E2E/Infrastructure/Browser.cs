using Microsoft.Playwright;

namespace DriverOffers.E2E.Infrastructure;

public static class Browser
{
    /// <summary>Signs a dispatcher in through the login page and waits for the truck table.</summary>
    public static async Task SignIn(this IPage page, string username = "carl.banks", string? screenshot = null)
    {
        await page.GotoAsync("/");
        await page.Locator("input[name=username]").FillAsync(username);
        await page.Locator("input[name=password]").FillAsync(Server.Data.DemoData.Password);
        if (screenshot is not null)
        {
            await E2EServer.Screenshot(page, screenshot);
        }
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.Locator(".ttable-row").First.WaitForAsync();
    }

    /// <summary>Waits until the app's one hub connection is up (the indicator says Live).</summary>
    public static Task WaitLive(this IPage page) =>
        page.Locator("[data-testid=connection-status][data-status=connected]").WaitForAsync();

    /// <summary>Polls a condition the browser can't see (e.g. what a hub client received).</summary>
    public static async Task Eventually(Func<bool> condition, string what, int timeoutMs = 10_000)
    {
        var until = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (!condition())
        {
            if (DateTime.UtcNow > until)
            {
                Assert.Fail("Timed out waiting for: " + what);
            }
            await Task.Delay(100);
        }
    }
}
