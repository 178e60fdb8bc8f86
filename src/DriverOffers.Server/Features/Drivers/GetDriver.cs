using DriverOffers.Server.Data;
using DriverOffers.Server.Features.Geo;
using DriverOffers.Server.Features.Presence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace DriverOffers.Server.Features.Drivers;

/// <summary>GET /api/drivers/{id}: one truck, active or not.</summary>
public static class GetDriver
{
    public static async Task<Results<Ok<DriverResponse>, NotFound>> Handle(int id, AppDb db, Gazetteer gazetteer, IPresence presence, CancellationToken ct)
    {
        var truck = await db.Trucks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, ct);
        return truck is null ? TypedResults.NotFound() : TypedResults.Ok(DriverResponse.From(truck, gazetteer).WithPresence(await DriverResponse.PresenceOf(presence, [truck])));
    }
}
