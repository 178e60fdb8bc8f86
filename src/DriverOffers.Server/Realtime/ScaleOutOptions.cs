namespace DriverOffers.Server.Realtime;

/// <summary>
/// Configuration section <c>Redis</c>. With a connection string, several server processes serve one site: hub events
/// go through the SignalR Redis backplane and presence is counted in Redis. Without it, one process, all in memory.
/// </summary>
public sealed class ScaleOutOptions
{
    public const string Section = "Redis";

    /// <summary>A StackExchange.Redis configuration string, e.g. <c>redis-host:6379,password=…</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Prefixes the backplane's channels and the presence keys, so several sites can share one Redis.</summary>
    public string ChannelPrefix { get; set; } = "driver-offers";

    public bool IsConfigured => !string.IsNullOrWhiteSpace(ConnectionString);

    /// <summary>Refuses a connection string StackExchange.Redis cannot parse, at start-up rather than at the first hub connection.</summary>
    public void Validate()
    {
        try
        {
            StackExchange.Redis.ConfigurationOptions.Parse(ConnectionString!);
        }
        catch (ArgumentException e)
        {
            throw new Hosting.StartupException($"Redis:ConnectionString is not a valid StackExchange.Redis configuration ({e.Message}); use e.g. redis:6379 or redis:6379,password=….", e);
        }
    }

    public static ScaleOutOptions From(IConfiguration config) =>
        config.GetSection(Section).Get<ScaleOutOptions>() ?? new ScaleOutOptions();
}
