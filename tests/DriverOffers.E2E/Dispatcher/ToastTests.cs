using DriverOffers.E2E.Infrastructure;
using Microsoft.Playwright;

namespace DriverOffers.E2E.Dispatcher;

/// <summary>Toasts are for what a dispatcher answers, each said once: not for views, not twice for one counter.</summary>
public sealed class ToastTests(E2EServer server) : BrowserTest, IClassFixture<E2EServer>
{
    [Fact]
    public async Task A_view_raises_no_toast_and_a_counter_raises_one_while_a_message_raises_its_own()
    {
        using var carl = server.Client(await server.DispatcherToken("carl.banks"));
        var (elsewhere, _) = await carl.CreateOffer(294);
        var (offerId, links) = await carl.CreateOffer(107);
        var page = await server.NewPage(1366, 768);
        await page.AddInitScriptAsync(RecordToasts);
        await page.SignIn("carl.banks");
        await page.GotoAsync($"/offers/{elsewhere}");
        await page.WaitLive();

        using var nwee = server.Client(await server.DriverTokenFromLink(links[107]));
        var proposalId = (await nwee.Get($"/api/offers/{offerId}")).GetProperty("my_proposal").GetProperty("id").GetInt32();
        await nwee.Put($"/api/proposals/{proposalId}/respond", new { action = "view" });
        await nwee.Put($"/api/proposals/{proposalId}/respond", new { action = "counter", rate = 2650 });
        await nwee.Post($"/api/offers/{offerId}/chat/107", new { message = "Fuel is up this week.", client_message_id = Guid.NewGuid().ToString() });

        // The message is the last thing sent: once its toast is up, the others had their chance.
        await page.WaitForFunctionAsync("text => window.__toasts.some(t => t.includes(text))", "Fuel is up this week.");
        var shown = await page.EvaluateAsync<string[]>("() => window.__toasts");
        Assert.Single(shown, t => t.Contains("Fuel is up this week.", StringComparison.Ordinal));
        Assert.Single(shown, t => t.Contains($"Nwee Ler countered $2,650 on offer #{offerId}", StringComparison.Ordinal));
        Assert.Single(shown, t => t.Contains("2,650", StringComparison.Ordinal));
        Assert.DoesNotContain(shown, t => t.Contains("viewed", StringComparison.Ordinal));
    }

    /// <summary>
    /// Keeps the text of every toast as it appears. A toast leaves by itself after 6 s, which a slow run can outlast
    /// between the first toast and the check: what was shown is what counts, not what is still up.
    /// </summary>
    private const string RecordToasts = """
        window.__toasts = [];
        new MutationObserver((changes) => {
          for (const change of changes)
            for (const node of change.addedNodes)
              if (node instanceof HTMLElement)
                for (const toast of [node, ...node.querySelectorAll('*')].filter((e) => e.classList.contains('toast')))
                  window.__toasts.push(toast.innerText);
        }).observe(document, { childList: true, subtree: true });
        """;
}
