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

    /// <summary>
    /// Waits until the app's one hub connection is up (the indicator says Live) and the catch-up that follows every
    /// connect has re-read what it re-reads (web/src/lib/realtime/catch-up.ts): from then on the page changes only
    /// because of what the test does, not under it (a late catch-up read once recovered a failed list under a click).
    /// </summary>
    public static Task WaitLive(this IPage page) =>
        page.Locator("[data-testid=connection-status][data-status=connected][data-caught-up=true]").WaitForAsync();

    /// <summary>Polls a condition the browser can't see (e.g. what a hub client received), as patiently as the page
    /// assertions wait (<see cref="E2EServer.NewPage"/>).</summary>
    public static async Task Eventually(Func<bool> condition, string what, int timeoutMs = 15_000)
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

    /// <summary>
    /// The visible elements matching <paramref name="selector"/> whose text is below 4.5:1 against what is behind it
    /// (WCAG AA for small text), as "text: ratio" lines. Opacity on the element or its ancestors fades both colours.
    /// </summary>
    public static Task<string[]> LowContrast(this IPage page, string selector) => page.EvaluateAsync<string[]>("""
        (selector) => {
          // Colours mid-transition (a row's flash, a chip fading in) are not what anyone reads: measure the settled page.
          for (const a of document.getAnimations()) { try { a.finish(); } catch { /* an endless animation can't finish */ } }
          const rgba = (c) => { const m = c.match(/[\d.]+/g).map(Number); return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1]; };
          const over = (top, under) => top.slice(0, 3).map((v, i) => v * top[3] + under[i] * (1 - top[3])).concat(1);
          const lum = (c) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }; return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
          const backdrop = (el) => {
            const layers = [];
            for (let e = el; e; e = e.parentElement) { const b = rgba(getComputedStyle(e).backgroundColor); if (b[3] > 0) layers.push(b); }
            return layers.reverse().reduce((acc, l) => over(l, acc), [255, 255, 255, 1]);
          };
          const out = [];
          for (const el of document.querySelectorAll(selector)) {
            const r = el.getBoundingClientRect();
            if (!r.width || !el.innerText.trim()) continue;
            let opacity = 1;
            for (let e = el; e; e = e.parentElement) opacity *= Number(getComputedStyle(e).opacity);
            const page = backdrop(document.body);
            const bg = over([...backdrop(el).slice(0, 3), opacity], page);
            const fgRaw = rgba(getComputedStyle(el).color);
            const fg = over([...over(fgRaw, backdrop(el)).slice(0, 3), opacity], page);
            const [a, b] = [lum(fg), lum(bg)];
            const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
            if (ratio < 4.5) out.push(`${el.innerText.trim().slice(0, 30)}: ${ratio.toFixed(2)}`);
          }
          return out;
        }
        """, selector);
}
