using DriverOffers.Server.Data;
using DriverOffers.Server.Features.Geo;
using DriverOffers.Server.Features.Presence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace DriverOffers.Server.Features.Drivers;

/// <summary>GET /api/drivers/available: active trucks whose status is <c>Available</c> (the seed's rule), served by the (isActive, Status) index.</summary>
public static class ListAvailableDrivers
{
    public const string AvailableStatus = "Available";

    public static async Task<Ok<ListDrivers.Response>> Handle(AppDb db, Gazetteer gazetteer, IPresence presence, CancellationToken ct)
    {
        var trucks = await db.Trucks.AsNoTracking()
            .Where(t => t.IsActive && t.Status == AvailableStatus)
            .OrderBy(t => t.Id)
            .ToListAsync(ct);
        var online = await DriverResponse.PresenceOf(presence, trucks);
        return TypedResults.Ok(new ListDrivers.Response([.. trucks.Select(t => DriverResponse.From(t, gazetteer).WithPresence(online))]));
    }
}
