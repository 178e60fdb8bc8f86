using DriverOffers.Server.Common;
using DriverOffers.Server.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace DriverOffers.Server.Features.Auth;

/// <summary>
/// POST /api/driver/auth/exchange {code}: turns the single-use code from an offer link into a driver token.
/// The link is not itself a credential: once exchanged (or expired) it opens nothing.
/// </summary>
public static class ExchangeDriverCode
{
    public sealed record Request(string? Code);

    public sealed record DriverResponse(int Id, string? TruckNumber, string? DriverName, string? CellPhone);

    public sealed record Response(string AccessToken, string TokenType, int ExpiresIn, DriverResponse Driver, int? OfferId);

    public static async Task<Results<Ok<Response>, ValidationProblem, ProblemHttpResult>> Handle(
        Request request, AppDb db, TokenService tokens, LoginThrottle throttle, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var v = new Validation();
        var code = v.Text(request.Code, "code", 6, 100);
        if (!v.IsValid)
        {
            return Problems.Invalid(v);
        }
        var ip = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (throttle.TryAcquire($"ip:{ip}") is { } wait)
        {
            var seconds = (int)Math.Ceiling(wait.TotalSeconds);
            http.Response.Headers.RetryAfter = seconds.ToString();
            return TypedResults.Problem($"Too many attempts. Try again in {seconds} seconds.", statusCode: 429, title: "Too many attempts");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var hash = DriverAccessCode.Hash(code!);
        var entry = await db.DriverAccessCodes
            .FirstOrDefaultAsync(c => c.CodeHash == hash && c.Purpose == AccessCodePurpose.OfferLink, ct);
        if (entry is null || !entry.IsUsable(now, maxAttempts: 1))
        {
            return TypedResults.Problem("This link is invalid, expired or already used. Ask your dispatcher for a new one, or sign in with your phone number.",
                statusCode: 401, title: "Link not valid");
        }
        var truck = await db.Trucks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == entry.TruckId && t.IsActive, ct);
        if (truck is null)
        {
            return TypedResults.Problem("This truck is no longer active.", statusCode: 401, title: "Link not valid");
        }
        // A conditional update, not read-then-write: of two racing exchanges of one code only one can win.
        var updated = await db.DriverAccessCodes
            .Where(c => c.Id == entry.Id && c.UsedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.UsedAt, now), ct);
        if (updated == 0)
        {
            return TypedResults.Problem("This link was already used.", statusCode: 401, title: "Link not valid");
        }
        var (token, expiresIn) = tokens.ForDriver(truck.Id, truck.DriverName);
        return TypedResults.Ok(new Response(token, "Bearer", expiresIn,
            new DriverResponse(truck.Id, truck.TruckNumber, truck.DriverName, truck.CellPhone), entry.OfferId));
    }
}
