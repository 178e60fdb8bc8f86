using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace DriverOffers.Server.Hosting;

/// <summary>
/// Configuration section <c>Network</c>: the reverse proxies (<c>KnownProxies</c>, addresses) and proxy networks
/// (<c>KnownNetworks</c>, CIDR) whose <c>X-Forwarded-For</c> / <c>X-Forwarded-Proto</c> are believed. Behind a proxy
/// every request comes from the proxy's address, so the per-IP sign-in and code limits would count everyone together.
/// Off when both are empty (the default): a client talking to the server directly could otherwise name any address it
/// likes and get a fresh allowance with each. Only the proxies named here are believed, hop by hop from the right, so a
/// client can't slip its own entry in front of the proxy's.
/// </summary>
public sealed class NetworkOptions
{
    public const string Section = "Network";

    public string[] KnownProxies { get; set; } = [];
    public string[] KnownNetworks { get; set; } = [];

    public bool IsConfigured => KnownProxies.Length > 0 || KnownNetworks.Length > 0;
}

public static class TrustedProxies
{
    /// <summary>Reads <c>Network</c>; throws <see cref="StartupException"/> naming an entry that is not an address or network.</summary>
    public static IServiceCollection AddTrustedProxies(this IServiceCollection services, IConfiguration config)
    {
        var network = config.GetSection(NetworkOptions.Section).Get<NetworkOptions>() ?? new NetworkOptions();
        var proxies = network.KnownProxies.Select(p => IPAddress.TryParse(p.Trim(), out var ip) ? ip
            : throw new StartupException($"Network:KnownProxies: '{p}' is not an IP address (e.g. 10.0.0.5 or fd00::5).")).ToList();
        var networks = network.KnownNetworks.Select(n => System.Net.IPNetwork.TryParse(n.Trim(), out var parsed) ? parsed
            : throw new StartupException($"Network:KnownNetworks: '{n}' is not a network in CIDR form (e.g. 10.0.0.0/8 or fd00::/8).")).ToList();
        if (!network.IsConfigured)
        {
            return services;
        }
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // The defaults trust loopback; only what is configured is trusted here.
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            proxies.ForEach(o.KnownProxies.Add);
            networks.ForEach(o.KnownIPNetworks.Add);
            // Every trusted hop is unwrapped (a load balancer in front of a proxy), stopping at the first untrusted one.
            o.ForwardLimit = null;
        });
        return services;
    }

    /// <summary>First in the pipeline, so every limit and log sees the client's address; nothing when not configured.</summary>
    public static void UseTrustedProxies(this WebApplication app)
    {
        var network = app.Configuration.GetSection(NetworkOptions.Section).Get<NetworkOptions>() ?? new NetworkOptions();
        if (network.IsConfigured)
        {
            app.UseForwardedHeaders();
        }
    }
}
