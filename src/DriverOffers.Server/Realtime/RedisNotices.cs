using StackExchange.Redis;

namespace DriverOffers.Server.Realtime;

/// <summary>
/// One channel of notices between the servers sharing a Redis (<c>{prefix}:{name}</c>), fire and forget both ways: a
/// notice published while Redis is away is lost, not queued, so each user bounds on its own how stale that leaves it.
/// Subscriptions are restored by the multiplexer when Redis comes back.
/// </summary>
public sealed class RedisNotices(ScaleOutRedis redis, string name, ILogger log)
{
    private readonly RedisChannel _channel = RedisChannel.Literal(redis.Prefix + ":" + name);

    /// <summary>Connects to Redis if nothing has yet, which waits on Redis while it is away.</summary>
    public void Listen(Action<RedisValue> heard) =>
        redis.Connection.GetSubscriber().Subscribe(_channel, (_, notice) => heard(notice), CommandFlags.FireAndForget);

    /// <param name="whenLost">What a lost notice costs the other servers, for the Debug line that says it was lost.</param>
    public void Publish(RedisValue notice, string whenLost)
    {
        try
        {
            redis.Connection.GetSubscriber().Publish(_channel, notice, CommandFlags.FireAndForget);
        }
        catch (RedisException e)
        {
            if (log.IsEnabled(LogLevel.Debug))
            {
                log.LogDebug(e, "A notice on {Channel} was not published; {WhenLost}", name, whenLost);
            }
        }
    }
}
