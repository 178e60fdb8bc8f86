using DriverOffers.Server.Common;
using DriverOffers.Server.Data;
using DriverOffers.Server.Features.Geo;
using DriverOffers.Server.Features.Presence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace DriverOffers.Server.Features.Drivers;

/// <summary>
/// GET /api/drivers/by-location?lat=&amp;lon=&amp;radius_miles=&amp;status=: active trucks within the radius (road miles,
/// see <see cref="Distance"/>), nearest first, each with <c>distance_miles</c>. One query; distances are computed in
/// memory, which also covers trucks placed only by their CityStateZip.
/// </summary>
public static class FindDriversNearby
{
    public const double DefaultRadiusMiles = 250;
    public const double MaxRadiusMiles = 3000;

    public static readonly string RadiusRefusal =
        $"Unknown parameter radius; use radius_miles (miles, greater than 0 and at most {MaxRadiusMiles}; default {DefaultRadiusMiles}).";

    public static async Task<Results<Ok<ListDrivers.Response>, ValidationProblem>> Handle(
        string? lat, string? lon, [FromQuery(Name = "radius_miles")] string? radiusMiles, [FromQuery(Name = "radius")] string? guessedRadius, string? status, AppDb db, Gazetteer gazetteer,
        IPresence presence, CancellationToken ct)
    {
        var v = new Validation();
        // A guessed `radius` alone would otherwise be ignored: the caller would get the default radius and not know it.
        v.Check(guessedRadius is null || radiusMiles is not null, "radius", RadiusRefusal);
        var centerLat = DriverQueries.ParseNumber(lat, "lat", v, required: true, "a number from -90 to 90 (latitude)");
        var centerLon = DriverQueries.ParseNumber(lon, "lon", v, required: true, "a number from -180 to 180 (longitude)");
        var radius = DriverQueries.ParseNumber(radiusMiles, "radius_miles", v, required: false,
            $"a number of miles greater than 0 and at most {MaxRadiusMiles} (default {DefaultRadiusMiles})") ?? DefaultRadiusMiles;
        v.Range(centerLat, "lat", -90, 90);
        v.Range(centerLon, "lon", -180, 180);
        v.Check(radius is > 0 and <= MaxRadiusMiles, "radius_miles", $"radius_miles must be greater than 0 and at most {MaxRadiusMiles} (default {DefaultRadiusMiles}).");
        var statusFilter = v.Text(status, "status", 1, ListDrivers.MaxFilterLength, required: false);
        if (!v.IsValid)
        {
            return Problems.Invalid(v);
        }

        var trucks = await db.Trucks.AsNoTracking().Where(t => t.IsActive).ToListAsync(ct);
        var online = await DriverResponse.PresenceOf(presence, trucks);
        var nearby = trucks
            .Where(t => statusFilter is null || string.Equals(t.Status?.Trim(), statusFilter, StringComparison.OrdinalIgnoreCase))
            .Select(t => (Truck: t, Position: DriverResponse.Position(t, gazetteer)))
            .Where(x => x.Position is not null)
            .Select(x => (x.Truck, Miles: Distance.RoadMiles(centerLat!.Value, centerLon!.Value, x.Position!.Value.Lat, x.Position.Value.Lon)))
            .Where(x => x.Miles <= radius)
            .OrderBy(x => x.Miles).ThenBy(x => x.Truck.Id)
            .Select(x => DriverResponse.From(x.Truck, gazetteer, x.Miles).WithPresence(online))
            .ToList();
        return TypedResults.Ok(new ListDrivers.Response(nearby));
    }
}
