namespace DriverOffers.Server.Common;

/// <summary>
/// The system clock to whole microseconds, the precision PostgreSQL and MariaDB keep. Views built from what a use case
/// just wrote (a send's live events are, so as not to read back a thousand rows) then show the same times as the same
/// rows read back later, on every provider.
/// </summary>
public sealed class MicrosecondClock : TimeProvider
{
    public override DateTimeOffset GetUtcNow()
    {
        var now = TimeProvider.System.GetUtcNow();
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMicrosecond));
    }
}
