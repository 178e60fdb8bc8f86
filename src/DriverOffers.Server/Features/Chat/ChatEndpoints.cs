namespace DriverOffers.Server.Features.Chat;

public static class ChatEndpoints
{
    public static void MapChat(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("Chat").RequireAuthorization();
        api.MapGet("/offers/{id:int}/chat/{driverId:int}", GetConversation.Handle);
        api.MapPost("/offers/{id:int}/chat/{driverId:int}", SendMessage.Handle);
        api.MapPut("/chat/{messageId:long}/read", MarkMessagesRead.Handle);
    }
}
