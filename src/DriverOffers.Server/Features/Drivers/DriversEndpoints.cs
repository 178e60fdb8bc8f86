using DriverOffers.Server.Common;

namespace DriverOffers.Server.Features.Drivers;

public static class DriversEndpoints
{
    public static IServiceCollection AddDrivers(this IServiceCollection services, IConfiguration config)
    {
        services.Configure<TruckWatchOptions>(config.GetSection(TruckWatchOptions.Section));
        services.AddHostedService<TruckChangeWatcher>();
        return services;
    }

    /// <summary>
    /// Dispatchers, managers and admins only: a driver is refused every route here with the same 403, whatever
    /// the truck, so no driver can list or probe other trucks.
    /// </summary>
    public static void MapDrivers(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/drivers").WithTags("Drivers")
            .RequireAuthorization(p => p.RequireAssertion(c => Caller.From(c.User)?.IsDispatcher == true));
        api.MapGet("/", ListDrivers.Handle);
        api.MapGet("/available", ListAvailableDrivers.Handle);
        api.MapGet("/by-location", FindDriversNearby.Handle);
        api.MapGet("/by-ids", GetDriversByIds.Handle);
        api.MapGet("/{id:int}", GetDriver.Handle);
    }
}
