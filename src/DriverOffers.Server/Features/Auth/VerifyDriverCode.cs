using DriverOffers.Server.Common;
using DriverOffers.Server.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DriverOffers.Server.Features.Auth;

/// <summary>
/// POST /api/driver/auth/verify-code {phone, code}: the 6-digit code texted by request-code, for a driver token
/// (the same shape as the offer-link exchange). A code dies after its lifetime, after one use, or after too many
/// tries from all addresses together; one address's tries end it for that address only (<see cref="PhoneCodeGuesses"/>).
/// Every refusal is the same 401, so a probe can't tell a wrong code from a number with no truck.
/// </summary>
public static class VerifyDriverCode
{
    public sealed record Request(string? Phone, string? Code);

    public static async Task<Results<Ok<DriverSignIn.Response>, ValidationProblem, ProblemHttpResult>> Handle(
        Request request, AppDb db, TokenService tokens, LoginThrottle throttle, PhoneCodeGuesses guesses,
        IOptions<AuthOptions> options, TimeProvider clock, SignInPace pace, HttpContext http, CancellationToken ct)
    {
        var started = SignInPace.Start();
        var v = new Validation();
        var phone = PhoneNumber.Normalize(request.Phone);
        v.Check(phone is not null, "phone", "phone must be a phone number such as (779) 513-2475 or +1 779 513 2475.");
        var code = request.Code?.Trim();
        v.Check(code is { Length: 6 } && code.All(char.IsAsciiDigit), "code", "code must be the 6 digits from the text message.");
        if (!v.IsValid)
        {
            return Problems.Invalid(v);
        }
        // No per-minute key for the number: a stranger's failures would refuse the driver too. The number's tries are
        // limited per address and in all by the hour (PhoneCodeGuesses).
        var ip = DriverSignIn.ClientIp(http);
        string[] keys = [$"ip:{ip}"];
        if ((throttle.Refuses(keys) ?? guesses.TryNumber(phone!, ip)) is { } wait)
        {
            return DriverSignIn.TooMany(http, wait);
        }

        var maxTries = options.Value.PhoneCodeMaxTries;
        var now = clock.GetUtcNow().UtcDateTime;
        var entry = await db.DriverAccessCodes.AsNoTracking()
            .Where(c => c.Purpose == AccessCodePurpose.Phone && c.Phone == phone && c.UsedAt == null)
            .OrderByDescending(c => c.Id)
            .FirstOrDefaultAsync(ct);
        // An address past its tries at this code is refused without spending the code's own: the driver keeps theirs.
        if (entry is null || !entry.IsUsable(now, maxTries) || !guesses.TryCode(entry.Id, ip))
        {
            return await Refused(throttle, keys, pace, started, ct);
        }
        // Spend the try in the database before comparing, so parallel guesses can't share one remaining try.
        // Each statement on its own (autocommit): one the database gave up on (lock wait, deadlock) changed nothing.
        var spent = await TransientConflicts.Retry(() => db.DriverAccessCodes
            .Where(c => c.Id == entry.Id && c.UsedAt == null && c.Attempts < maxTries)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Attempts, c => c.Attempts + 1), ct), ct);
        if (spent == 0 || !entry.Matches(code!))
        {
            return await Refused(throttle, keys, pace, started, ct);
        }
        var used = await TransientConflicts.Retry(() => db.DriverAccessCodes
            .Where(c => c.Id == entry.Id && c.UsedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.UsedAt, now), ct), ct);
        var truck = await db.Trucks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == entry.TruckId && t.IsActive, ct);
        return used == 0 || truck is null ? await Refused(throttle, keys, pace, started, ct) : TypedResults.Ok(DriverSignIn.Issue(tokens, truck, offerId: null));
    }

    /// <summary>One refusal, in one time (<see cref="SignInPace"/>): a number with a code waiting spends a try in the
    /// database, one without doesn't.</summary>
    private static async Task<ProblemHttpResult> Refused(LoginThrottle throttle, string[] keys, SignInPace pace, long started,
        CancellationToken ct)
    {
        throttle.Failed(keys);
        await pace.Wait(started, ct);
        return Refusal();
    }

    private static ProblemHttpResult Refusal() => TypedResults.Problem(
        "The code is wrong, expired or used up. Check the text message, or ask for a new code.", statusCode: 401, title: "Sign-in failed");
}
