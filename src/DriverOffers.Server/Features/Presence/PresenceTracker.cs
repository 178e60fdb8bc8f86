namespace DriverOffers.Server.Features.Presence;

public readonly record struct Person(string UserType, int Id);

/// <summary>What changed for a person after a connection event.</summary>
public readonly record struct PresenceChange(Person Person, bool IsOnline, DateTime LastSeen);

/// <summary>
/// In-memory presence: a person is online while at least one of their connections is open and has beaten within
/// the timeout. Methods return a change only when the person's online state flips, so callers announce flips only.
/// </summary>
public sealed class PresenceTracker : IPresenceStore
{
    private sealed class Connection(Person person, DateTime lastBeat)
    {
        public Person Person { get; } = person;
        public DateTime LastBeat { get; set; } = lastBeat;
        public bool Stale { get; set; }
    }

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Connection> _connections = new(StringComparer.Ordinal);
    private readonly Dictionary<Person, int> _live = [];
    private readonly Dictionary<Person, DateTime> _lastSeen = [];

    public bool IsOnline(string userType, int id)
    {
        lock (_lock)
        {
            return _live.ContainsKey(new Person(userType, id));
        }
    }

    public DateTime? LastSeen(string userType, int id)
    {
        lock (_lock)
        {
            return _lastSeen.TryGetValue(new Person(userType, id), out var seen) ? seen : null;
        }
    }

    bool IPresenceStore.SharedByServers => false;

    Task<PresenceChange?> IPresenceStore.Connected(Person person, string connectionId, DateTime now) =>
        Task.FromResult(Connected(person, connectionId, now));

    Task<PresenceChange?> IPresenceStore.Beat(string connectionId, DateTime now) => Task.FromResult(Beat(connectionId, now));

    Task<PresenceChange?> IPresenceStore.Disconnected(string connectionId, DateTime now) => Task.FromResult(Disconnected(connectionId, now));

    Task<(List<string> StaleConnections, List<PresenceChange> Changes)> IPresenceStore.Expire(DateTime now, TimeSpan timeout) =>
        Task.FromResult(Expire(now, timeout));

    public PresenceChange? Connected(Person person, string connectionId, DateTime now)
    {
        lock (_lock)
        {
            _connections[connectionId] = new Connection(person, now);
            return Up(person, now);
        }
    }

    /// <summary>A heartbeat. Revives a connection that had gone stale. Unknown connections are ignored.</summary>
    public PresenceChange? Beat(string connectionId, DateTime now)
    {
        lock (_lock)
        {
            if (!_connections.TryGetValue(connectionId, out var c))
            {
                return null;
            }
            c.LastBeat = now;
            _lastSeen[c.Person] = now;
            if (!c.Stale)
            {
                return null;
            }
            c.Stale = false;
            return Up(c.Person, now);
        }
    }

    public PresenceChange? Disconnected(string connectionId, DateTime now)
    {
        lock (_lock)
        {
            if (!_connections.Remove(connectionId, out var c))
            {
                return null;
            }
            _lastSeen[c.Person] = now;
            return c.Stale ? null : Down(c.Person, now);
        }
    }

    /// <summary>Marks connections silent for longer than <paramref name="timeout"/> as stale.</summary>
    public (List<string> StaleConnections, List<PresenceChange> Changes) Expire(DateTime now, TimeSpan timeout)
    {
        var stale = new List<string>();
        var changes = new List<PresenceChange>();
        lock (_lock)
        {
            foreach (var (id, c) in _connections)
            {
                if (c.Stale || now - c.LastBeat < timeout)
                {
                    continue;
                }
                c.Stale = true;
                stale.Add(id);
                if (Down(c.Person, c.LastBeat) is { } change)
                {
                    changes.Add(change);
                }
            }
        }
        return (stale, changes);
    }

    public Person? Who(string connectionId)
    {
        lock (_lock)
        {
            return _connections.TryGetValue(connectionId, out var c) ? c.Person : null;
        }
    }

    private PresenceChange? Up(Person person, DateTime now)
    {
        _lastSeen[person] = now;
        var count = _live.GetValueOrDefault(person) + 1;
        _live[person] = count;
        return count == 1 ? new PresenceChange(person, true, now) : null;
    }

    private PresenceChange? Down(Person person, DateTime lastSeen)
    {
        var count = _live.GetValueOrDefault(person) - 1;
        if (count > 0)
        {
            _live[person] = count;
            return null;
        }
        _live.Remove(person);
        var seen = _lastSeen.TryGetValue(person, out var s) && s > lastSeen ? s : lastSeen;
        _lastSeen[person] = seen;
        return new PresenceChange(person, false, seen);
    }
}
