using StackExchange.Redis;

namespace DriverOffers.Server.Realtime;

/// <summary>
/// The Redis connection a scaled-out server keeps for its own state (presence, and the <see cref="RedisNotices"/> of
/// offer changes and sign-outs); the SignalR backplane keeps its own. Connected at first use, and kept trying while Redis is away.
/// </summary>
public sealed class ScaleOutRedis(ScaleOutOptions options) : IDisposable
{
    private readonly Lazy<ConnectionMultiplexer> _connection = new(() =>
    {
        var config = ConfigurationOptions.Parse(options.ConnectionString!);
        // Start even while Redis is away; the multiplexer keeps reconnecting (and restores its subscriptions).
        config.AbortOnConnectFail = false;
        return ConnectionMultiplexer.Connect(config);
    });

    public ConnectionMultiplexer Connection => _connection.Value;

    /// <summary>Keys and channels start with this, so several sites can share one Redis.</summary>
    public string Prefix => options.ChannelPrefix;

    public void Dispose()
    {
        if (_connection.IsValueCreated)
        {
            _connection.Value.Dispose();
        }
    }
}
