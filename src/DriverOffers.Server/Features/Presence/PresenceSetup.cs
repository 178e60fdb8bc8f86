using DriverOffers.Server.Realtime;

namespace DriverOffers.Server.Features.Presence;

public static class PresenceSetup
{
    public static IServiceCollection AddPresence(this IServiceCollection services, IConfiguration config)
    {
        services.Configure<PresenceOptions>(config.GetSection(PresenceOptions.Section));
        var scaleOut = ScaleOutOptions.From(config);
        if (scaleOut.IsConfigured)
        {
            // Several server processes: a person is online while any of them holds a connection (docs/decisions/021).
            services.AddSingleton<RedisPresence>();
            services.AddSingleton<IPresenceStore>(sp => sp.GetRequiredService<RedisPresence>());
        }
        else
        {
            services.AddSingleton<PresenceTracker>();
            services.AddSingleton<IPresenceStore>(sp => sp.GetRequiredService<PresenceTracker>());
        }
        services.AddSingleton<IPresence>(sp => sp.GetRequiredService<IPresenceStore>());
        services.AddSingleton<SessionWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<SessionWriter>());
        services.AddSingleton<PresenceAnnouncer>();
        services.AddHostedService(sp => sp.GetRequiredService<PresenceAnnouncer>());
        services.AddSingleton<TrackPresence>();
        services.AddHostedService<PresenceExpiry>();
        return services;
    }
}
