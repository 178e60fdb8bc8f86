namespace DriverOffers.Server.Features.Offers;

/// <summary>Offer routes. Drivers get 404 on the dispatcher-only ones (create, edit, send, cancel, book).</summary>
public static class OffersEndpoints
{
    public static IServiceCollection AddOffers(this IServiceCollection services)
    {
        services.AddSingleton<OfferLinkBase>();
        services.AddSingleton<ExpireOffers>();
        services.AddHostedService(sp => sp.GetRequiredService<ExpireOffers>());
        return services;
    }

    public static void MapOffers(this IEndpointRouteBuilder app)
    {
        var offers = app.MapGroup("/api/offers").WithTags("Offers").RequireAuthorization();
        offers.MapGet("/", ListOffers.Handle);
        offers.MapPost("/", CreateOffer.Handle);
        offers.MapGet("/{id:int}", GetOffer.Handle);
        offers.MapPut("/{id:int}", UpdateOffer.Handle);
        offers.MapDelete("/{id:int}", CancelOffer.Handle);
        offers.MapPost("/{id:int}/send-to-drivers", SendToDrivers.Handle);
        offers.MapPost("/{id:int}/book", BookDriver.Handle);
    }
}
