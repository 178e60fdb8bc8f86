namespace DriverOffers.Server.Features.Presence;

/// <summary>
/// Where connections are counted: in this process (<see cref="PresenceTracker"/>) or in Redis, shared by every
/// server (<see cref="RedisPresence"/>). Each method returns a change only when the person's online state flips,
/// and only to one caller however many servers race, so a flip is announced once.
/// </summary>
public interface IPresenceStore : IPresence
{
    /// <summary>True when other server processes count connections here too, so a starting server must not close their sessions.</summary>
    bool SharedByServers { get; }

    Task<PresenceChange?> Connected(Person person, string connectionId, DateTime now);

    /// <summary>A heartbeat from a connection of this server; revives it if it had gone stale.</summary>
    Task<PresenceChange?> Beat(string connectionId, DateTime now);

    Task<PresenceChange?> Disconnected(string connectionId, DateTime now);

    /// <summary>Connections silent past the timeout stop counting: their ids (to close their sessions) and the resulting flips.</summary>
    Task<(List<string> StaleConnections, List<PresenceChange> Changes)> Expire(DateTime now, TimeSpan timeout);
}
