namespace DriverOffers.E2E.Infrastructure;

/// <summary>
/// A test class on a shared <see cref="E2EServer"/>. The server and browser live as long as the class; the pages a
/// test opened close when that test ends, so its hub connections, timers and queued sends can't act during the next
/// test (a left-open page could mark a conversation read, or flush a queued answer, under another test).
/// </summary>
public abstract class BrowserTest : IAsyncLifetime
{
    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => E2EServer.ClosePages();
}
