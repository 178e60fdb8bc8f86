using System.Collections.Concurrent;
using System.Globalization;
using DriverOffers.Server.Realtime;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace DriverOffers.Server.Features.Presence;

/// <summary>
/// Presence shared by every server process through Redis (when <c>Redis:ConnectionString</c> is set). Per person:
/// a sorted set of their connections on any server, scored by when each stops counting (its last heartbeat plus the
/// timeout); an "announced online" flag; the last-seen time. A global sorted set of every connection's deadline lets
/// any server find the connections of a server that died. Each change is one Lua script, so when servers race,
/// exactly one of them sees the first connect or the last disconnect, and only that one announces it.
/// </summary>
public sealed class RedisPresence : IPresenceStore
{
    /// <summary>Up (connect or heartbeat). KEYS: connections, online flag, last seen, deadlines.
    /// ARGV: connection id, deadline, now, deadline member, last-seen ttl (all times in Unix ms). Returns 1 when the person came online.</summary>
    private const string UpScript = """
        redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
        redis.call('ZADD', KEYS[4], ARGV[2], ARGV[4])
        local seen = redis.call('GET', KEYS[3])
        if not seen or tonumber(seen) < tonumber(ARGV[3]) then seen = ARGV[3] end
        redis.call('SET', KEYS[3], seen, 'PX', ARGV[5])
        if redis.call('SET', KEYS[2], '1', 'NX') then return 1 end
        return 0
        """;

    /// <summary>Disconnect. KEYS as above; ARGV: connection id, now, deadline member, last-seen ttl.
    /// Returns {went offline (0/1), last seen}.</summary>
    private const string DownScript = """
        redis.call('ZREM', KEYS[1], ARGV[1])
        redis.call('ZREM', KEYS[4], ARGV[3])
        local seen = redis.call('GET', KEYS[3])
        if not seen or tonumber(seen) < tonumber(ARGV[2]) then seen = ARGV[2] end
        redis.call('SET', KEYS[3], seen, 'PX', ARGV[4])
        if redis.call('ZCOUNT', KEYS[1], '(' .. ARGV[2], '+inf') == 0 and redis.call('DEL', KEYS[2]) == 1 then
          return {1, seen}
        end
        return {0, seen}
        """;

    /// <summary>Claims up to ARGV[2] connections whose deadline passed (ARGV[1]) from the deadlines set (KEYS[1]);
    /// a claimed one is gone from the set, so no other server settles it too.</summary>
    private const string ClaimScript = """
        local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[2])
        if #due > 0 then redis.call('ZREM', KEYS[1], unpack(due)) end
        return due
        """;

    /// <summary>Settles one claimed connection. KEYS: connections, online flag, last seen; ARGV: connection id, now.
    /// Returns {removed (0/1), went offline (0/1), last seen}. A connection that beat again meanwhile stays.</summary>
    private const string SettleScript = """
        local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
        if not score or tonumber(score) > tonumber(ARGV[2]) then return {0, 0, '0'} end
        redis.call('ZREM', KEYS[1], ARGV[1])
        local seen = redis.call('GET', KEYS[3]) or '0'
        if redis.call('ZCOUNT', KEYS[1], '(' .. ARGV[2], '+inf') == 0 and redis.call('DEL', KEYS[2]) == 1 then
          return {1, 1, seen}
        end
        return {1, 0, seen}
        """;

    private const int ClaimBatch = 100;
    /// <summary>Last-seen times outlive any connection: they answer "last seen 3 days ago".</summary>
    private static readonly TimeSpan SeenKeptFor = TimeSpan.FromDays(30);

    private readonly ConnectionMultiplexer _redis;
    private readonly IDatabase _db;
    private readonly string _prefix;
    private readonly TimeProvider _clock;
    private readonly IOptions<PresenceOptions> _options;
    private readonly ILogger<RedisPresence> _log;
    /// <summary>This server's open connections: a heartbeat or disconnect names only the connection.</summary>
    private readonly ConcurrentDictionary<string, Person> _local = new(StringComparer.Ordinal);

    public RedisPresence(ScaleOutRedis redis, TimeProvider clock, IOptions<PresenceOptions> options, ILogger<RedisPresence> log)
    {
        // While Redis is away the connection keeps reconnecting, and presence heals on the next heartbeat.
        _redis = redis.Connection;
        _db = _redis.GetDatabase();
        _prefix = $"{redis.Prefix}:presence:";
        _clock = clock;
        _options = options;
        _log = log;
    }

    public bool SharedByServers => true;

    /// <summary>Whether Redis answers now (the readiness check's view).</summary>
    public bool IsConnected => _redis.IsConnected;

    public bool IsOnline(string userType, int id)
    {
        try
        {
            return _db.SortedSetLength(Connections(new Person(userType, id)), Ms(Now), double.PositiveInfinity, Exclude.Start) > 0;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            _log.LogWarning(e, "Presence: Redis unavailable; {UserType} {Id} shown offline", userType, id);
            return false;
        }
    }

    public DateTime? LastSeen(string userType, int id)
    {
        try
        {
            var seen = _db.StringGet(Seen(new Person(userType, id)));
            return seen.IsNull ? null : Time((long)seen);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            _log.LogWarning(e, "Presence: Redis unavailable; no last-seen for {UserType} {Id}", userType, id);
            return null;
        }
    }

    public async Task<IReadOnlyDictionary<int, PresenceNow>> OfManyAsync(string userType, IReadOnlyCollection<int> ids)
    {
        try
        {
            var now = Ms(Now);
            var batch = _db.CreateBatch();
            var asked = ids.Distinct().Select(id => (Id: id,
                Online: batch.SortedSetLengthAsync(Connections(new Person(userType, id)), now, double.PositiveInfinity, Exclude.Start),
                Seen: batch.StringGetAsync(Seen(new Person(userType, id))))).ToList();
            batch.Execute();
            await Task.WhenAll(asked.SelectMany(a => new Task[] { a.Online, a.Seen }));
            return asked.ToDictionary(a => a.Id, a => new PresenceNow(a.Online.Result > 0, a.Seen.Result.IsNull ? null : Time((long)a.Seen.Result)));
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            _log.LogWarning(e, "Presence: Redis unavailable; {Count} {UserType}s shown offline", ids.Count, userType);
            return ids.Distinct().ToDictionary(id => id, _ => new PresenceNow(false, null));
        }
    }

    public Task<PresenceChange?> Connected(Person person, string connectionId, DateTime now)
    {
        // Known locally before Redis is asked: if Redis fails now, the next heartbeat still finds the connection and heals.
        _local[connectionId] = person;
        return Up(person, connectionId, now);
    }

    public Task<PresenceChange?> Beat(string connectionId, DateTime now) =>
        _local.TryGetValue(connectionId, out var person) ? Up(person, connectionId, now) : Task.FromResult<PresenceChange?>(null);

    /// <summary>
    /// SignalR runs a connection's hub calls one at a time and OnDisconnected after the last, so a heartbeat cannot
    /// re-add a connection after its disconnect; were it to, the entry would only expire after the timeout.
    /// </summary>
    public async Task<PresenceChange?> Disconnected(string connectionId, DateTime now)
    {
        if (!_local.TryRemove(connectionId, out var person))
        {
            return null;
        }
        try
        {
            var result = (RedisResult[])(await _db.ScriptEvaluateAsync(DownScript,
                [Connections(person), Online(person), Seen(person), Deadlines],
                [connectionId, Ms(now), Member(person, connectionId), (long)SeenKeptFor.TotalMilliseconds]))!;
            return (int)result[0] == 1 ? new PresenceChange(person, false, Time((long)result[1])) : null;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // The entry expires by itself; whichever server sweeps it then announces the person offline.
            _log.LogWarning(e, "Presence: Redis unavailable at disconnect of {UserType} {Id}", person.UserType, person.Id);
            return null;
        }
    }

    /// <summary>Settles every connection past its deadline, this server's or another's (a server that died never says goodbye).</summary>
    public async Task<(List<string> StaleConnections, List<PresenceChange> Changes)> Expire(DateTime now, TimeSpan timeout)
    {
        var stale = new List<string>();
        var changes = new List<PresenceChange>();
        while (true)
        {
            var claimed = (RedisResult[])(await _db.ScriptEvaluateAsync(ClaimScript, [Deadlines], [Ms(now), ClaimBatch]))!;
            foreach (var member in claimed)
            {
                if (!TryParseMember((string)member!, out var person, out var connectionId))
                {
                    continue;
                }
                var result = (RedisResult[])(await _db.ScriptEvaluateAsync(SettleScript,
                    [Connections(person), Online(person), Seen(person)], [connectionId, Ms(now)]))!;
                if ((int)result[0] == 1)
                {
                    stale.Add(connectionId);
                }
                if ((int)result[1] == 1)
                {
                    changes.Add(new PresenceChange(person, false, Time((long)result[2])));
                }
            }
            if (claimed.Length < ClaimBatch)
            {
                return (stale, changes);
            }
        }
    }

    private async Task<PresenceChange?> Up(Person person, string connectionId, DateTime now)
    {
        try
        {
            var deadline = now + _options.Value.Timeout;
            var cameOnline = (int)await _db.ScriptEvaluateAsync(UpScript,
                [Connections(person), Online(person), Seen(person), Deadlines],
                [connectionId, Ms(deadline), Ms(now), Member(person, connectionId), (long)SeenKeptFor.TotalMilliseconds]);
            return cameOnline == 1 ? new PresenceChange(person, true, now) : null;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            _log.LogWarning(e, "Presence: Redis unavailable; {UserType} {Id} is counted at the next heartbeat", person.UserType, person.Id);
            return null;
        }
    }

    private RedisKey Connections(Person p) => $"{_prefix}connections:{p.UserType}:{p.Id}";
    private RedisKey Online(Person p) => $"{_prefix}online:{p.UserType}:{p.Id}";
    private RedisKey Seen(Person p) => $"{_prefix}seen:{p.UserType}:{p.Id}";
    private RedisKey Deadlines => $"{_prefix}deadlines";

    /// <summary>Deadline entries name the person too, so a server that never saw the connection can settle it.</summary>
    private static string Member(Person p, string connectionId) => $"{p.UserType}:{p.Id}:{connectionId}";

    private static bool TryParseMember(string member, out Person person, out string connectionId)
    {
        var parts = member.Split(':', 3);
        var ok = parts.Length == 3 & int.TryParse(parts.ElementAtOrDefault(1), CultureInfo.InvariantCulture, out var id);
        person = new Person(parts[0], id);
        connectionId = ok ? parts[2] : "";
        return ok;
    }

    private static long Ms(DateTime t) => (long)(t - DateTime.UnixEpoch).TotalMilliseconds;

    private static DateTime Time(long ms) => DateTime.UnixEpoch.AddMilliseconds(ms);

    private DateTime Now => _clock.GetUtcNow().UtcDateTime;

}
