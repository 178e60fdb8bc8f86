using DriverOffers.E2E.Infrastructure;
using Microsoft.Playwright;

namespace DriverOffers.E2E.Driver;

/// <summary>The driver app on the narrowest phones still sold (320 px wide), where words that fit at 390 px wrap.</summary>
public sealed class NarrowPhoneTests(E2EServer server) : BrowserTest, IClassFixture<E2EServer>
{
    private const int Nwee = 107;

    private async Task<(IPage Page, int OfferId)> OnOffer(int width)
    {
        using var carl = server.Client(await server.DispatcherToken("carl.banks"));
        var (offerId, links) = await carl.CreateOffer(Nwee);
        var page = await server.NewPage(width, 640);
        await page.GotoAsync(new Uri(links[Nwee]).PathAndQuery);
        await page.Locator($"[data-testid=driver-offer][data-offer-id='{offerId}']").WaitForAsync();
        await page.WaitLive();
        return (page, offerId);
    }

    /// <summary>How many lines of text the element is tall, by its own line height.</summary>
    private static Task<double> Lines(ILocator element) => element.EvaluateAsync<double>("""
        e => { const cs = getComputedStyle(e); const lh = cs.lineHeight === 'normal' ? parseFloat(cs.fontSize) * 1.3 : parseFloat(cs.lineHeight);
               return e.getBoundingClientRect().height / lh; }
        """);

    [Theory]
    [InlineData(320)]
    [InlineData(360)]
    [InlineData(390)]
    public async Task Offline_the_top_bar_says_so_on_one_line_without_growing_and_a_screen_reader_still_hears_that_changes_will_sync(int width)
    {
        var (page, _) = await OnOffer(width);
        var bar = page.Locator(".drv-top");
        var liveHeight = (await bar.BoundingBoxAsync())!.Height;

        await page.Context.SetOfflineAsync(true);
        var status = page.GetByTestId("connection-status");
        await Assertions.Expect(status).ToHaveAttributeAsync("data-status", "offline");
        await E2EServer.Screenshot(page, $"27-driver-offline-{width}px");

        var lines = await Lines(status);
        Assert.True(lines < 1.5, $"the offline label is {lines:0.0} lines tall at {width} px");
        Assert.Equal(liveHeight, (await bar.BoundingBoxAsync())!.Height);
        await Assertions.Expect(status).ToContainTextAsync("Offline");
        // What a screen reader reads: the full words once, not the short ones beside them.
        Assert.Equal("- status \"Offline — changes will sync\"", await status.AriaSnapshotAsync());
        await page.Context.SetOfflineAsync(false);
    }
}
