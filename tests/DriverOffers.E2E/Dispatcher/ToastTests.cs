using DriverOffers.E2E.Infrastructure;
using Microsoft.Playwright;

namespace DriverOffers.E2E.Dispatcher;

/// <summary>Toasts are for what a dispatcher answers, each said once: not for views, not twice for one counter.</summary>
public sealed class ToastTests(E2EServer server) : IClassFixture<E2EServer>
{
    [Fact]
    public async Task A_view_raises_no_toast_and_a_counter_raises_one_while_a_message_raises_its_own()
    {
        using var carl = server.Client(await server.DispatcherToken("carl.banks"));
        var (elsewhere, _) = await carl.CreateOffer(294);
        var (offerId, links) = await carl.CreateOffer(107);
        var page = await server.NewPage(1366, 768);
        await page.SignIn("carl.banks");
        await page.GotoAsync($"/offers/{elsewhere}");
        await page.WaitLive();

        using var nwee = server.Client(await server.DriverTokenFromLink(links[107]));
        var proposalId = (await nwee.Get($"/api/offers/{offerId}")).GetProperty("my_proposal").GetProperty("id").GetInt32();
        await nwee.Put($"/api/proposals/{proposalId}/respond", new { action = "view" });
        await nwee.Put($"/api/proposals/{proposalId}/respond", new { action = "counter", rate = 2650 });
        await nwee.Post($"/api/offers/{offerId}/chat/107", new { message = "Fuel is up this week.", client_message_id = Guid.NewGuid().ToString() });

        // The message is the last thing sent: once its toast is up, the others had their chance.
        var toasts = page.Locator(".toast");
        await Assertions.Expect(toasts.Filter(new() { HasText = "Fuel is up this week." })).ToHaveCountAsync(1);
        await Assertions.Expect(toasts.Filter(new() { HasText = $"Nwee Ler countered $2,650 on offer #{offerId}" })).ToHaveCountAsync(1);
        Assert.Equal(1, await toasts.Filter(new() { HasText = "2,650" }).CountAsync());
        Assert.Equal(0, await toasts.Filter(new() { HasText = "viewed" }).CountAsync());
    }
}
