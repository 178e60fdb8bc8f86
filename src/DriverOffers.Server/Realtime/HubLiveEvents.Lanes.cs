using System.Threading.Channels;
using DriverOffers.Server.Data;

namespace DriverOffers.Server.Realtime;

// The lanes the pushes run in, and their shutdown.
public sealed partial class HubLiveEvents
{
    private static int LaneOf(int key) => (key & int.MaxValue) % LaneCount;

    private Task Enqueue(int key, Func<Func<AppDb>, CancellationToken, Task> push)
    {
        _lanes[LaneOf(key)].Writer.TryWrite(push);
        return Task.CompletedTask;
    }

    private async Task Drain(ChannelReader<Func<Func<AppDb>, CancellationToken, Task>> lane)
    {
        try
        {
            await foreach (var push in lane.ReadAllAsync(_stopping.Token))
            {
                try
                {
                    // A database context only when the push needs one: a chat message to an offer whose audience is
                    // known (the common case) needs none, and building one per message costs more than the send.
                    IServiceScope? scope = null;
                    try
                    {
                        await push(() => (scope ??= _scopes.CreateScope()).ServiceProvider.GetRequiredService<AppDb>(), _stopping.Token);
                    }
                    finally
                    {
                        scope?.Dispose();
                    }
                }
                catch (Exception e) when (!_stopping.IsCancellationRequested)
                {
                    // Live events may be lost (clients re-read on reconnect); the lane must keep going.
                    _log.LogWarning(e, "A live event could not be sent");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Registered under two service types, so the container may call this twice.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        foreach (var lane in _lanes)
        {
            lane.Writer.TryComplete();
        }
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private int _disposed;
}
