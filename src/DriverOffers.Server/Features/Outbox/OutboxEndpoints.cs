namespace DriverOffers.Server.Features.Outbox;

public static class OutboxEndpoints
{
    public static void MapOutbox(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/outbox").WithTags("Outbox").RequireAuthorization();
        api.MapGet("", ListOutbox.Handle);
        api.MapPost("/{id:int}/retry", RetryOutboxMessage.Handle);
    }
}
