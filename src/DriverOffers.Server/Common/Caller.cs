using System.Security.Claims;
using DriverOffers.Server.Features.Auth;

namespace DriverOffers.Server.Common;

/// <summary>
/// Who is calling, read from a validated token. Dispatchers (dispatcher, manager, admin) are <c>users</c> rows;
/// drivers are <c>Trucks</c> rows (subject = truck ID). REST handlers and hub methods both use this.
/// </summary>
public sealed record Caller(int Id, string Role, string Name)
{
    public const string DriverRole = "driver";
    public const string NameClaim = "name";
    public const string RoleClaim = "role";
    public const string SubjectClaim = "sub";

    public bool IsDriver => Role == DriverRole;
    public bool IsDispatcher => Role is User.Dispatcher or User.Manager or User.Admin;
    /// <summary>Managers and admins see every offer.</summary>
    public bool IsSupervisor => Role is User.Manager or User.Admin;
    /// <summary>The chat <c>sender_type</c> / presence <c>user_type</c> for this caller.</summary>
    public string UserType => IsDriver ? "driver" : "dispatcher";

    public static Caller? From(ClaimsPrincipal? principal)
    {
        if (principal?.Identity?.IsAuthenticated != true)
        {
            return null;
        }
        if (principal.Identity is CallerIdentity identity)
        {
            return identity.Caller;
        }
        var sub = principal.FindFirstValue(SubjectClaim) ?? principal.FindFirstValue(ClaimTypes.NameIdentifier);
        var role = principal.FindFirstValue(RoleClaim) ?? principal.FindFirstValue(ClaimTypes.Role);
        if (!int.TryParse(sub, out var id) || role is null)
        {
            return null;
        }
        return KnownRole(role) is { } known ? new Caller(id, known, principal.FindFirstValue(NameClaim) ?? "") : null;
    }

    /// <summary>The role as its constant (a hub connection keeps its caller as long as it is open), or null if it is
    /// not one of ours.</summary>
    public static string? KnownRole(string? role) => role switch
    {
        DriverRole => DriverRole,
        User.Dispatcher => User.Dispatcher,
        User.Manager => User.Manager,
        User.Admin => User.Admin,
        _ => null,
    };

    /// <summary>A principal holding only this caller (see <see cref="CallerIdentity"/>).</summary>
    public ClaimsPrincipal ToPrincipal(string authenticationType, string? tokenId = null) =>
        new(new CallerIdentity(this, authenticationType) { TokenId = tokenId });

    /// <summary>For endpoints behind RequireAuthorization: the token was validated, so a caller is always there.</summary>
    public static Caller Require(ClaimsPrincipal principal) =>
        From(principal) ?? throw new UnauthorizedAccessException("The token does not name a known kind of user.");
}
