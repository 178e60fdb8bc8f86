using DriverOffers.Server.Common;
using DriverOffers.Server.Features.Drivers;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DriverOffers.Server.Features.Auth;

/// <summary>What the three password-less driver sign-ins (offer link, phone code) answer alike.</summary>
public static class DriverSignIn
{
    public sealed record DriverResponse(int Id, string? TruckNumber, string? DriverName, string? CellPhone);

    /// <summary>The driver token. <c>offer_id</c> is the offer the link was sent for (null after phone sign-in).</summary>
    public sealed record Response(string AccessToken, string TokenType, int ExpiresIn, DriverResponse Driver, int? OfferId);

    public static Response Issue(TokenService tokens, Truck truck, int? offerId)
    {
        var (token, expiresIn) = tokens.ForDriver(truck.Id, truck.DriverName);
        return new Response(token, "Bearer", expiresIn,
            new DriverResponse(truck.Id, truck.TruckNumber, truck.DriverName, truck.CellPhone), offerId);
    }

    public static ProblemHttpResult TooMany(HttpContext http, TimeSpan wait) => Problems.TooManyRequests(http, wait, "attempts");

    public static string ClientIp(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
