using DriverOffers.Server.Features.Presence;

namespace DriverOffers.Tests.Features.Presence;

public sealed class PresenceTrackerTests
{
    private static readonly DateTime T0 = new(2026, 11, 25, 12, 0, 0, DateTimeKind.Utc);
    private static readonly Person Driver = new("driver", 107);

    [Fact]
    public void Only_the_first_connection_and_the_last_disconnect_change_presence()
    {
        var tracker = new PresenceTracker();
        Assert.NotNull(tracker.Connected(Driver, "a", T0));
        Assert.Null(tracker.Connected(Driver, "b", T0));
        Assert.Null(tracker.Disconnected("a", T0.AddSeconds(1)));
        Assert.True(tracker.IsOnline("driver", 107));
        var off = tracker.Disconnected("b", T0.AddSeconds(2));
        Assert.Equal(new PresenceChange(Driver, false, T0.AddSeconds(2)), off);
        Assert.Equal(T0.AddSeconds(2), tracker.LastSeen("driver", 107));
    }

    [Fact]
    public void A_silent_connection_expires_and_a_heartbeat_revives_it()
    {
        var tracker = new PresenceTracker();
        tracker.Connected(Driver, "a", T0);
        tracker.Connected(Driver, "b", T0);
        tracker.Beat("b", T0.AddSeconds(50));

        var (stale, changes) = tracker.Expire(T0.AddSeconds(61), TimeSpan.FromSeconds(60));
        Assert.Equal(["a"], stale);
        Assert.Empty(changes);

        (stale, changes) = tracker.Expire(T0.AddSeconds(111), TimeSpan.FromSeconds(60));
        Assert.Equal(["b"], stale);
        Assert.Equal([new PresenceChange(Driver, false, T0.AddSeconds(50))], changes);
        Assert.False(tracker.IsOnline("driver", 107));
        // Closing a connection that already expired changes nothing more.
        Assert.Null(tracker.Disconnected("a", T0.AddSeconds(112)));

        Assert.Equal(new PresenceChange(Driver, true, T0.AddSeconds(113)), tracker.Beat("b", T0.AddSeconds(113)));
        Assert.True(tracker.IsOnline("driver", 107));
    }

    [Fact]
    public void Unknown_connections_are_ignored()
    {
        var tracker = new PresenceTracker();
        Assert.Null(tracker.Beat("nope", T0));
        Assert.Null(tracker.Disconnected("nope", T0));
        Assert.False(tracker.IsOnline("driver", 1));
        Assert.Null(tracker.LastSeen("driver", 1));
    }
}
