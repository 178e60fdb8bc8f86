using DriverOffers.Server.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.IdentityModel.JsonWebTokens;

namespace DriverOffers.Server.Features.Auth;

/// <summary>
/// POST /api/auth/logout: signs out the token the request carries, for everyone who has a copy of it. REST calls and
/// hub connects with it are refused from now on (401, <see cref="AuthSetup.SignedOut"/>), on this server at once, on the
/// others sharing a Redis within moments (<see cref="SignOutNotices"/>), and on any sharing the database within
/// <c>Auth:AccountRefreshSeconds</c>; its open hub connections are closed the same way. Other tokens of the same person
/// (other devices) stay signed in. For drivers and dispatchers alike, and for the legacy system's tokens (this server
/// stops taking them; the PHP system is not told).
/// </summary>
public static class Logout
{
    /// <summary>A token is honoured this long past its expiry (the bearer scheme's clock skew), so it stays on the list as long.</summary>
    private static readonly TimeSpan Skew = TimeSpan.FromMinutes(1);

    public static async Task<Results<NoContent, ProblemHttpResult>> Handle(HttpContext http, AppDb db, RevokedTokens revoked,
        ActiveAccounts accounts, SignOutNotices notices, CancellationToken ct)
    {
        // The bearer handler validated this very token to let the request in.
        if (AuthSetup.BearerToken(http) is not { } raw || !new JsonWebTokenHandler().CanReadToken(raw))
        {
            return TypedResults.Problem("Send the token to sign out as an Authorization: Bearer header.",
                statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized");
        }
        var token = new JsonWebToken(raw);
        var id = RevokedToken.IdOf(token);
        await revoked.Revoke(db, id, token.ValidTo + Skew, ct);
        accounts.CloseSignedOut(id);
        notices.SignedOut(id, token.ValidTo + Skew);
        return TypedResults.NoContent();
    }
}
