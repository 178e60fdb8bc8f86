using System.Security.Claims;
using DriverOffers.Server.Common;
using DriverOffers.Server.Data;
using DriverOffers.Server.Realtime;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DriverOffers.Server.Features.Auth;

/// <summary>POST /api/socket/auth (seed): validates the bearer token, says who it is and where the hub is.</summary>
public static class SocketAuth
{
    public sealed record Response(bool Valid, GetMe.Response User, string HubPath, string[] Transports);

    public static async Task<Results<Ok<Response>, UnauthorizedHttpResult>> Handle(ClaimsPrincipal principal, AppDb db, CancellationToken ct)
    {
        var me = await GetMe.Describe(Caller.Require(principal), db, ct);
        return me is null
            ? TypedResults.Unauthorized()
            : TypedResults.Ok(new Response(true, me, OffersHub.Path, ["websockets", "server_sent_events", "long_polling"]));
    }
}
