namespace DriverOffers.Server.Features.Geo;

public static class GeoEndpoints
{
    /// <summary>The gazetteer is loaded once, on first use, and shared: it is read-only.</summary>
    public static IServiceCollection AddGeo(this IServiceCollection services) =>
        services.AddSingleton(_ => Gazetteer.Default);

    public static void MapGeo(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/geo").WithTags("Geo").RequireAuthorization();
        api.MapGet("/search", SearchPlaces.Handle);
    }
}
