using DriverOffers.Server.Common;
using DriverOffers.Server.Data;
using DriverOffers.Server.Features.Outbox;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DriverOffers.Server.Features.Auth;

/// <summary>
/// POST /api/driver/auth/request-code {phone}: texts a 6-digit sign-in code to the driver of the active truck with
/// that cell phone. The answer is the same whether or not the number belongs to a truck (no enumeration of drivers);
/// the code leaves through the outbox, so no sender's timing or failure shows in the response either.
/// </summary>
public static class RequestDriverCode
{
    public sealed record Request(string? Phone);

    public sealed record Response(string Message, int ExpiresIn);

    public static async Task<Results<Ok<Response>, ValidationProblem, ProblemHttpResult>> Handle(
        Request request, AppDb db, PhoneCodeThrottle throttle, IOptions<AuthOptions> options, TimeProvider clock,
        SignInPace pace, HttpContext http, CancellationToken ct)
    {
        var started = SignInPace.Start();
        var phone = PhoneNumber.Normalize(request.Phone);
        if (phone is null)
        {
            return Problems.Invalid("phone", "phone must be a phone number such as (779) 513-2475 or +1 779 513 2475.");
        }
        if (throttle.TryAcquire(DriverSignIn.ClientIp(http), phone) is { } wait)
        {
            return DriverSignIn.TooMany(http, wait);
        }

        var o = options.Value;
        var lifetime = TimeSpan.FromMinutes(o.PhoneCodeMinutes);
        var now = clock.GetUtcNow().UtcDateTime;
        var truck = await FindTruck(db, phone, ct);
        if (truck is not null)
        {
            // Run again whole if the database gave up on it (lock wait, deadlock): the save is one transaction and the
            // update before it a statement of its own, so a lost try stored nothing but retired codes, as a retry does too.
            await TransientConflicts.Retry(async () =>
            {
                db.ChangeTracker.Clear();
                // A new code replaces any earlier one, so asking again never widens the window for guessing.
                await db.DriverAccessCodes
                    .Where(c => c.Purpose == AccessCodePurpose.Phone && c.Phone == phone && c.UsedAt == null)
                    .ExecuteUpdateAsync(s => s.SetProperty(c => c.UsedAt, now), ct);
                var (code, plain) = DriverAccessCode.ForPhone(truck.Value.Id, phone, lifetime, now);
                db.DriverAccessCodes.Add(code);
                db.Outbox.Add(OutboxMessage.Create(OutboxChannel.Sms, phone, truck.Value.Id, offerId: null,
                    subject: "Driver Offers sign-in code",
                    body: $"{plain} is your Driver Offers sign-in code. It expires in {o.PhoneCodeMinutes} minutes. Never share it.",
                    link: null, now));
                await db.SaveChangesAsync(ct);
            }, ct);
        }
        // Storing a code is a write and a commit more than finding no truck: the answer waits out the difference.
        await pace.Wait(started, ct);
        return TypedResults.Ok(new Response(
            "If this number belongs to an active truck, a sign-in code is on its way by text message.", (int)lifetime.TotalSeconds));
    }

    /// <summary>The active truck with this cell phone; the legacy column holds numbers in any format, so compare normalized.</summary>
    private static async Task<(int Id, DateTime? UpdatedAt)?> FindTruck(AppDb db, string phone, CancellationToken ct)
    {
        var lastFour = PhoneNumber.LastFour(phone);
        var candidates = await db.Trucks.AsNoTracking()
            .Where(t => t.IsActive && t.CellPhone != null && t.CellPhone.Contains(lastFour))
            .Select(t => new { t.Id, t.CellPhone, t.UpdatedAt })
            .ToListAsync(ct);
        // One driver with two trucks: the most recently updated one is the one they drive now.
        var match = candidates
            .Where(t => PhoneNumber.Normalize(t.CellPhone) == phone)
            .OrderByDescending(t => t.UpdatedAt)
            .FirstOrDefault();
        return match is null ? null : (match.Id, match.UpdatedAt);
    }
}
