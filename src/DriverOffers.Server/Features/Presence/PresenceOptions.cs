namespace DriverOffers.Server.Features.Presence;

/// <summary>Configuration section <c>Presence</c>.</summary>
public sealed class PresenceOptions
{
    public const string Section = "Presence";

    /// <summary>A connection with no heartbeat for this long no longer counts as online.</summary>
    public double TimeoutSeconds { get; set; } = 60;

    public TimeSpan Timeout => TimeSpan.FromSeconds(TimeoutSeconds);

    /// <summary>How often stale connections are looked for: often enough that "offline" is late by at most a quarter of the timeout.</summary>
    public TimeSpan SweepInterval => TimeSpan.FromSeconds(Math.Clamp(TimeoutSeconds / 4, 0.25, 5));
}
