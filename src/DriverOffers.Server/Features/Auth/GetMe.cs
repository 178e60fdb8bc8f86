using System.Security.Claims;
using DriverOffers.Server.Common;
using DriverOffers.Server.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace DriverOffers.Server.Features.Auth;

/// <summary>GET /api/me: who the token belongs to. A driver is described by their truck.</summary>
public static class GetMe
{
    public sealed record Response(string UserType, int Id, string Role, string Name, string? Username, string? Email,
        string? MobileNumber, string? TruckNumber);

    public static async Task<Results<Ok<Response>, UnauthorizedHttpResult>> Handle(ClaimsPrincipal principal, AppDb db, CancellationToken ct)
    {
        var caller = Caller.Require(principal);
        var me = await Describe(caller, db, ct);
        return me is null ? TypedResults.Unauthorized() : TypedResults.Ok(me);
    }

    /// <summary>Null when the user or truck behind a valid token is gone or disabled.</summary>
    public static async Task<Response?> Describe(Caller caller, AppDb db, CancellationToken ct)
    {
        if (caller.IsDriver)
        {
            var truck = await db.Trucks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == caller.Id && t.IsActive, ct);
            return truck is null ? null
                : new Response("driver", truck.Id, Caller.DriverRole, truck.DriverName ?? "", null, truck.Mail, truck.CellPhone, truck.TruckNumber);
        }
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == caller.Id && u.IsActive, ct);
        return user is null ? null
            : new Response("dispatcher", user.Id, user.Role, user.FullName, user.Username, user.Email, user.MobileNumber, null);
    }
}
