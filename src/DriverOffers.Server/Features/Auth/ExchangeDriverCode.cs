using DriverOffers.Server.Common;
using DriverOffers.Server.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace DriverOffers.Server.Features.Auth;

/// <summary>
/// POST /api/driver/auth/exchange {code}: turns the single-use code from an offer link into a driver token for that
/// link's truck only. The link is not itself a credential: once exchanged (or expired) it opens nothing, except its offer
/// again for the request that already carries that truck's token (the same phone tapping the text twice). Opening the
/// link only loads the web app; the exchange is a POST from it, so link previews in SMS apps don't burn the code.
/// Codes are signed (<see cref="OfferLinks"/>) and used up on their invitation; links sent before that have a stored code.
/// </summary>
public static class ExchangeDriverCode
{
    public sealed record Request(string? Code);

    private const string NotValid = "This link is invalid, expired or already used. Ask your dispatcher for a new one, or sign in with your phone number.";

    public static async Task<Results<Ok<DriverSignIn.Response>, ValidationProblem, ProblemHttpResult>> Handle(
        Request request, AppDb db, TokenService tokens, OfferLinks links, LoginThrottle throttle, TimeProvider clock, HttpContext http,
        CancellationToken ct)
    {
        var v = new Validation();
        var code = v.Text(CodeOf(request.Code), "code", 6, 100);
        if (!v.IsValid)
        {
            return Problems.Invalid(v);
        }
        // Link codes carry a 128-bit tag, so guessing is hopeless anyway; counting failures keeps it from being a load test.
        var ip = $"ip:{DriverSignIn.ClientIp(http)}";
        if (throttle.Refuses(ip) is { } wait)
        {
            return DriverSignIn.TooMany(http, wait);
        }
        var result = await Attempt(db, tokens, links, clock, code!, http.User, ct);
        if (result.Result is not Ok<DriverSignIn.Response>)
        {
            throttle.Failed(ip);
        }
        return result;
    }

    private static async Task<Results<Ok<DriverSignIn.Response>, ValidationProblem, ProblemHttpResult>> Attempt(AppDb db,
        TokenService tokens, OfferLinks links, TimeProvider clock, string code, System.Security.Claims.ClaimsPrincipal user, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (links.Read(code) is { } grant)
        {
            return await Exchange(db, tokens, grant, now, Caller.From(user), ct);
        }
        var hash = DriverAccessCode.LinkHash(code);
        var entry = await db.DriverAccessCodes
            .FirstOrDefaultAsync(c => c.CodeHash == hash && c.Purpose == AccessCodePurpose.OfferLink, ct);
        if (entry is null || !entry.IsUsable(now, maxAttempts: 1))
        {
            return Refused();
        }
        var truck = await db.Trucks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == entry.TruckId && t.IsActive, ct);
        if (truck is null)
        {
            return Refused();
        }
        // A conditional update, not read-then-write: of two racing exchanges of one code only one can win.
        var updated = await TransientConflicts.Retry(() => db.DriverAccessCodes
            .Where(c => c.Id == entry.Id && c.UsedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.UsedAt, now), ct), ct);
        return updated == 0 ? Refused() : TypedResults.Ok(DriverSignIn.Issue(tokens, truck, entry.OfferId));
    }

    private static async Task<Results<Ok<DriverSignIn.Response>, ValidationProblem, ProblemHttpResult>> Exchange(AppDb db,
        TokenService tokens, OfferLinkGrant grant, DateTime now, Caller? signedIn, CancellationToken ct)
    {
        if (grant.ExpiresAt <= now)
        {
            return Refused();
        }
        var truck = await db.Trucks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == grant.TruckId && t.IsActive, ct);
        if (truck is null)
        {
            return Refused();
        }
        // As for stored codes, a conditional update: of two racing exchanges only one finds the link unused.
        var updated = await TransientConflicts.Retry(() => db.Proposals
            .Where(p => p.OfferId == grant.OfferId && p.DriverId == grant.TruckId && p.LinkUsedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.LinkUsedAt, now), ct), ct);
        // A driver taps the same text again on the phone already signed in from it: the link is used up, but the token the
        // app sends proves who is asking, so the link still opens its offer rather than a dead end. Anyone else is refused.
        var sameDriver = signedIn is { IsDriver: true } && signedIn.Id == grant.TruckId;
        return updated == 0 && !sameDriver ? Refused() : TypedResults.Ok(DriverSignIn.Issue(tokens, truck, grant.OfferId));
    }

    /// <summary>
    /// The code, also when the whole link (<c>https://host/driver/link/{code}</c>) was pasted: README tells that the code
    /// is the link's last path segment, but the link is what a dispatcher copies and a driver receives.
    /// </summary>
    internal static string? CodeOf(string? given)
    {
        const string marker = "/driver/link/";
        var at = given?.LastIndexOf(marker, StringComparison.OrdinalIgnoreCase) ?? -1;
        if (at < 0)
        {
            return given;
        }
        var code = given![(at + marker.Length)..];
        var end = code.IndexOfAny(['?', '#', '/']);
        return (end < 0 ? code : code[..end]).Trim();
    }

    // One answer for unknown, used, expired and inactive-truck codes: a probe learns nothing about which it was.
    private static ProblemHttpResult Refused() => TypedResults.Problem(NotValid, statusCode: 401, title: "Link not valid");
}
