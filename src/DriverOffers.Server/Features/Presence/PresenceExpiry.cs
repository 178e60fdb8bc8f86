using DriverOffers.Server.Common;
using Microsoft.Extensions.Options;

namespace DriverOffers.Server.Features.Presence;

/// <summary>Looks for connections that stopped sending heartbeats, a few times per timeout.</summary>
public sealed class PresenceExpiry(TrackPresence presence, TimeProvider clock, IOptions<PresenceOptions> options, ILogger<PresenceExpiry> log)
    : BackgroundService
{
    private readonly FailureStreak _failures = new(log, "Presence expiry sweep");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await presence.ExpireSilent(stoppingToken);
                _failures.Succeeded();
            }
            catch (Exception e) when (stoppingToken.IsCancellationRequested)
            {
                // Stopping: a sweep cut short (or failing, with Redis down) is done by the next server to sweep.
                _ = e;
                return;
            }
            catch (Exception e)
            {
                _failures.Failed(e);
            }
        }
    }
}
