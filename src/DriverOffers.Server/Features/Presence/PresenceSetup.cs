namespace DriverOffers.Server.Features.Presence;

public static class PresenceSetup
{
    public static IServiceCollection AddPresence(this IServiceCollection services, IConfiguration config)
    {
        services.Configure<PresenceOptions>(config.GetSection(PresenceOptions.Section));
        services.AddSingleton<PresenceTracker>();
        services.AddSingleton<IPresence>(sp => sp.GetRequiredService<PresenceTracker>());
        services.AddSingleton<SessionWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<SessionWriter>());
        services.AddSingleton<TrackPresence>();
        services.AddHostedService<PresenceExpiry>();
        return services;
    }
}
