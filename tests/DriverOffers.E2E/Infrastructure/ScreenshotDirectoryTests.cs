namespace DriverOffers.E2E.Infrastructure;

public sealed class ScreenshotDirectoryTests
{
    private static readonly string Root = Path.Combine(Path.GetTempPath(), "repo");

    [Fact]
    public void A_test_run_writes_screenshots_outside_the_committed_docs_by_default()
    {
        var dir = E2EServer.ScreenshotDirectory(null, Root);
        Assert.Equal(Path.Combine(Root, "artifacts", "screenshots"), dir);
        Assert.Equal(dir, E2EServer.ScreenshotDirectory("  ", Root));
    }

    [Fact]
    public void The_setting_sends_them_to_docs_screenshots_relative_to_the_repository_or_to_an_absolute_folder()
    {
        Assert.Equal(Path.Combine(Root, "docs", "screenshots"), E2EServer.ScreenshotDirectory("docs/screenshots", Root));
        var elsewhere = Path.Combine(Path.GetTempPath(), "shots");
        Assert.Equal(elsewhere, E2EServer.ScreenshotDirectory(elsewhere, Root));
    }
}
