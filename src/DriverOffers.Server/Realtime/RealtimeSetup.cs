using DriverOffers.Server.Common;
using DriverOffers.Server.Features.Presence;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using StackExchange.Redis;

namespace DriverOffers.Server.Realtime;

public static class RealtimeSetup
{
    public static IServiceCollection AddRealtime(this IServiceCollection services, IConfiguration config)
    {
        services.Configure<RealtimeOptions>(config.GetSection(RealtimeOptions.Section));
        services.AddQueryTokenRedaction();
        var signalR = services.AddSignalR(o =>
            {
                o.MaximumReceiveMessageSize = 32 * 1024;
                // Only HubExceptions we throw reach clients (SignalR always sends those); nothing internal leaks.
                o.EnableDetailedErrors = false;
                // Outermost first: the error filter also sees (and logs) the rate limit's refusals.
                o.AddFilter<HubErrorFilter>();
                o.AddFilter<HubRateLimitFilter>();
            })
            .AddJsonProtocol(o => ApiJson.Configure(o.PayloadSerializerOptions));
        var json = services.Single(d => d.ServiceType == typeof(IHubProtocol) && d.ImplementationType == typeof(JsonHubProtocol));
        services.Remove(json);
        services.AddSingleton<IHubProtocol>(sp => new ArgumentCountErrors(ActivatorUtilities.CreateInstance<JsonHubProtocol>(sp)));
        var scaleOut = ScaleOutOptions.From(config);
        if (scaleOut.IsConfigured)
        {
            scaleOut.Validate();
            services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis", tags: ["ready"]);
            services.AddSingleton(_ => new ScaleOutRedis(scaleOut));
            services.AddSingleton(sp => new OfferChangeSignal(sp.GetRequiredService<ScaleOutRedis>(), sp.GetRequiredService<ILogger<OfferChangeSignal>>()));
            // Every group and user send is published to Redis, so it reaches connections on every server.
            signalR.AddStackExchangeRedis(scaleOut.ConnectionString!, o =>
            {
                o.Configuration.ChannelPrefix = RedisChannel.Literal(scaleOut.ChannelPrefix);
                o.Configuration.AbortOnConnectFail = false;
            });
        }
        else
        {
            services.AddSingleton(typeof(HubLifetimeManager<>), typeof(CompactGroupsLifetimeManager<>));
            services.AddSingleton(new OfferChangeSignal());
        }
        services.AddSingleton<HubRateLimitFilter>();
        services.AddSingleton<ConnectionCap>();
        services.Configure<SendLimitOptions>(config.GetSection(SendLimitOptions.Section));
        services.AddSingleton<SendLimits>();
        services.AddSingleton<HubErrorFilter>();
        services.AddSingleton<TypingRelay>();
        services.AddSingleton<HubLiveEvents>();
        services.AddSingleton<ILiveEvents>(sp => sp.GetRequiredService<HubLiveEvents>());
        services.AddPresence(config);
        return services;
    }

    public static void MapRealtime(this IEndpointRouteBuilder app) => app.MapHub<OffersHub>(OffersHub.Path);
}
