using DriverOffers.Server.Common;
using DriverOffers.Server.Data;
using DriverOffers.Server.Features.Geo;
using DriverOffers.Server.Features.Presence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace DriverOffers.Server.Features.Drivers;

/// <summary>
/// GET /api/drivers?status=&amp;q=&amp;active=: the truck table, the dispatcher's main page. Inactive trucks are
/// included (with <c>is_active</c>) unless <c>active</c> says otherwise, so the page can show or hide them.
/// One query; <c>status</c> and <c>q</c> are matched in memory, case-insensitively on every provider.
/// </summary>
public static class ListDrivers
{
    public const int MaxFilterLength = 100;

    public sealed record Response(IReadOnlyList<DriverResponse> Drivers);

    public static async Task<Results<Ok<Response>, ValidationProblem>> Handle(
        string? status, string? q, string? active, AppDb db, Gazetteer gazetteer, IPresence presence, CancellationToken ct)
    {
        var v = new Validation();
        var statusFilter = v.Text(status, "status", 1, MaxFilterLength, required: false);
        var text = v.Text(q, "q", 1, MaxFilterLength, required: false);
        var activeFilter = DriverQueries.ParseBool(active, "active", v);
        if (!v.IsValid)
        {
            return Problems.Invalid(v);
        }

        var query = db.Trucks.AsNoTracking();
        if (activeFilter is { } isActive)
        {
            query = query.Where(t => t.IsActive == isActive);
        }
        var trucks = await query.OrderBy(t => t.Id).ToListAsync(ct);
        var online = await DriverResponse.PresenceOf(presence, trucks);
        return TypedResults.Ok(new Response([.. trucks
            .Where(t => statusFilter is null || string.Equals(t.Status?.Trim(), statusFilter, StringComparison.OrdinalIgnoreCase))
            .Where(t => text is null || Matches(t, text))
            .Select(t => DriverResponse.From(t, gazetteer).WithPresence(online))]));
    }

    /// <summary>Free-text search over what a dispatcher reads in the table; phone numbers match by digits alone.</summary>
    private static bool Matches(Truck t, string text)
    {
        string?[] fields = [t.TruckNumber, t.DriverName, t.CityStateZip, t.Mail, t.Dimensions, t.Status, t.CellPhone];
        if (fields.Any(f => f?.Contains(text, StringComparison.OrdinalIgnoreCase) == true))
        {
            return true;
        }
        var digits = new string([.. text.Where(char.IsAsciiDigit)]);
        return digits.Length >= 3 && digits.Length == text.Count(c => !char.IsWhiteSpace(c) && c is not ('(' or ')' or '-' or '.' or '+'))
            && new string([.. (t.CellPhone ?? "").Where(char.IsAsciiDigit)]).Contains(digits, StringComparison.Ordinal);
    }
}
