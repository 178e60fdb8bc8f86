namespace DriverOffers.Server.Features.Auth;

public static class AuthEndpoints
{
    public static void MapAuth(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("Auth");
        api.MapPost("/auth/login", Login.Handle).AllowAnonymous();
        api.MapPost("/auth/logout", Logout.Handle).RequireAuthorization();
        api.MapGet("/me", GetMe.Handle).RequireAuthorization();
        // Anonymous: the token may come in the body; the handler authenticates it either way.
        api.MapPost("/socket/auth", SocketAuth.Handle).AllowAnonymous();
        api.MapPost("/driver/auth/exchange", ExchangeDriverCode.Handle).AllowAnonymous();
        api.MapPost("/driver/auth/request-code", RequestDriverCode.Handle).AllowAnonymous();
        api.MapPost("/driver/auth/verify-code", VerifyDriverCode.Handle).AllowAnonymous();
    }
}
