namespace DriverOffers.Server.Features.Auth;

public static class AuthEndpoints
{
    public static void MapAuth(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("Auth");
        api.MapPost("/auth/login", Login.Handle).AllowAnonymous();
        api.MapGet("/me", GetMe.Handle).RequireAuthorization();
        api.MapPost("/socket/auth", SocketAuth.Handle).RequireAuthorization();
        api.MapPost("/driver/auth/exchange", ExchangeDriverCode.Handle).AllowAnonymous();
        api.MapPost("/driver/auth/request-code", RequestDriverCode.Handle).AllowAnonymous();
        api.MapPost("/driver/auth/verify-code", VerifyDriverCode.Handle).AllowAnonymous();
    }
}
