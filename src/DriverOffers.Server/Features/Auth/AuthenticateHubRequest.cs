using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.Extensions.Options;

namespace DriverOffers.Server.Features.Auth;

/// <summary>
/// Authenticates and authorizes hub requests (negotiate and the connection itself) without the authentication and
/// authorization middlewares. A hub connection's HTTP request lives as long as the connection, and those middlewares
/// leave behind for it the request's DI scope, the bearer handler (created per request and cached by the scope), the
/// authentication result with its ticket, the policy evaluator's ticket and both middlewares' awaiting state: ~2.5 KB per
/// connection (docs/decisions/081-connection-memory-fourth-pass.md). Here the token is validated by the same bearer
/// scheme's own token handlers and <see cref="Microsoft.IdentityModel.Tokens.TokenValidationParameters"/> (read from its
/// options, so the two can't drift apart), the claims are mapped by the same functions as the scheme's events, and
/// the hub endpoint's own authorization policy is evaluated.
/// <para>
/// Only acceptance is decided here. A request this doesn't accept (no token, an invalid, forged or expired one, a
/// legacy token naming an unknown user, a caller the policy refuses, an endpoint whose policy names schemes) goes on
/// through the authentication and authorization middlewares untouched, which refuse it exactly as they always did
/// (401 with the bearer challenge and its error description, or 403).
/// </para>
/// </summary>
public sealed class AuthenticateHubRequest(
    RequestDelegate next,
    IOptionsMonitor<JwtBearerOptions> bearer,
    IOptions<AuthOptions> auth,
    IAuthorizationPolicyProvider policies,
    IServiceScopeFactory scopes,
    ActiveAccounts accounts,
    ILogger<AuthenticateHubRequest> log)
{
    /// <summary>
    /// The mark the authorization middleware leaves on a request it let through. The endpoint middleware refuses to run
    /// an endpoint that has authorization metadata (the hub's <c>[Authorize]</c>) without it, so were the name ever to
    /// change, hub requests would fail with a 500 (closed), never run unauthorized.
    /// </summary>
    private const string AuthorizationDone = "__AuthorizationMiddlewareWithEndpointInvoked";

    /// <summary>Whether this request was accepted here, so the authentication and authorization middlewares are skipped.</summary>
    public static bool Accepted(HttpContext http) => IsHub(http) && http.Items.ContainsKey(AuthorizationDone);

    public Task InvokeAsync(HttpContext http)
    {
        if (!IsHub(http))
        {
            return next(http);
        }
        // No await around next when validation completed synchronously (it does for HS256): an awaiting state machine
        // here would live as long as the connection.
        var accepting = TryAccept(http);
        return accepting.IsCompletedSuccessfully ? next(http) : AcceptThenNext(accepting, http);
    }

    private async Task AcceptThenNext(Task accepting, HttpContext http)
    {
        await accepting;
        await next(http);
    }

    private static bool IsHub(HttpContext http) => http.Request.Path.StartsWithSegments("/hubs");

    private async Task TryAccept(HttpContext http)
    {
        if (AuthSetup.BearerToken(http) is not { } token || http.GetEndpoint() is not { } endpoint)
        {
            return;
        }
        var policy = await HubPolicy(endpoint);
        if (policy is null)
        {
            return;
        }
        var options = auth.Value;
        var legacy = options.Legacy.Enabled && !AuthSetup.IsOurs(http, options.Issuer);
        var jwt = bearer.Get(legacy ? AuthSetup.Legacy : AuthSetup.Ours);
        var (validated, tokenId) = await Validate(jwt, token);
        if (validated is null || accounts.IsSignedOut(tokenId))
        {
            return;
        }
        var principal = legacy
            ? (await AuthSetup.LegacyCallerPrincipal(validated, tokenId, options.Legacy, accounts, http.RequestAborted)).Principal
            : await AuthSetup.CurrentCallerPrincipal(validated, tokenId, accounts, http.RequestAborted);
        if (principal is null)
        {
            return;
        }
        using (var scope = scopes.CreateScope())
        {
            var authorization = scope.ServiceProvider.GetRequiredService<IAuthorizationService>();
            if (!(await authorization.AuthorizeAsync(principal, http, policy)).Succeeded)
            {
                return;
            }
        }
        http.User = principal;
        http.Items[AuthorizationDone] = true;
        AuthSetup.ForgetHubToken(http);
    }

    /// <summary>
    /// The endpoint's combined policy, as the authorization middleware builds it, when this class can evaluate it the
    /// same way: the caller's principal alone (no named schemes, no anonymous access, no requirement-only metadata).
    /// </summary>
    private async Task<AuthorizationPolicy?> HubPolicy(Endpoint endpoint)
    {
        var metadata = endpoint.Metadata;
        if (metadata.GetMetadata<IAllowAnonymous>() is not null || metadata.GetOrderedMetadata<IAuthorizationRequirementData>().Count > 0)
        {
            return null;
        }
        var policy = await AuthorizationPolicy.CombineAsync(policies, metadata.GetOrderedMetadata<IAuthorizeData>(),
            metadata.GetOrderedMetadata<AuthorizationPolicy>());
        return policy is { AuthenticationSchemes.Count: 0 } &&
               policy.Requirements.Any(r => r is DenyAnonymousAuthorizationRequirement)
            ? policy
            : null;
    }

    /// <summary>What the bearer handler does with a token: its token handlers in order, the first valid result wins.</summary>
    private async Task<(ClaimsPrincipal? Principal, string? TokenId)> Validate(JwtBearerOptions jwt, string token)
    {
        foreach (var handler in jwt.TokenHandlers)
        {
            try
            {
                var result = await handler.ValidateTokenAsync(token, jwt.TokenValidationParameters);
                if (result.IsValid)
                {
                    return (new ClaimsPrincipal(result.ClaimsIdentity), AuthSetup.TokenId(result.SecurityToken));
                }
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or Microsoft.IdentityModel.Tokens.SecurityTokenException)
            {
                // Refused here means "left to the bearer handler", which logs and answers it.
                log.LogDebug(e, "Hub token not accepted here; the bearer handler decides.");
            }
        }
        return (null, null);
    }
}
