namespace DriverOffers.Server.Realtime;

/// <summary>Configuration section <c>Realtime</c>: hub limits and typing timings.</summary>
public sealed class RealtimeOptions
{
    public const string Section = "Realtime";

    /// <summary>Hub calls a connection may make per second, sustained.</summary>
    public double CallsPerSecond { get; set; } = 50;

    /// <summary>Hub calls a connection may make in a burst before the sustained rate applies.</summary>
    public int CallBurst { get; set; } = 200;

    /// <summary>At most one <c>user_typing</c> per sender per conversation in this window.</summary>
    public double TypingThrottleSeconds { get; set; } = 2;

    /// <summary>Open hub connections one person may have on one server (tabs, devices); one more is refused.</summary>
    public int ConnectionsPerUser { get; set; } = 50;

    /// <summary>A typing state with no <c>typing_stop</c> ends by itself after this long.</summary>
    public double TypingExpirySeconds { get; set; } = 6;
}
