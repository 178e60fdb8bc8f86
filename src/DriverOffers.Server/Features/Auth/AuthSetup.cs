using System.Security.Claims;
using System.Security.Cryptography;
using DriverOffers.Server.Common;
using DriverOffers.Server.Data;
using DriverOffers.Server.Hosting;
using DriverOffers.Server.Realtime;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Microsoft.Net.Http.Headers;

namespace DriverOffers.Server.Features.Auth;

/// <summary>
/// Two bearer schemes behind one policy: our own tokens, and (when configured) the legacy PHP system's.
/// The selector looks at the unvalidated issuer only to pick the scheme; each scheme then validates fully
/// with the algorithm pinned to HS256.
/// </summary>
public static class AuthSetup
{
    public const string Ours = "Bearer";
    public const string Legacy = "Legacy";
    private const string Selector = "BearerOrLegacy";
    private const string AccessTokenParameter = "access_token";

    public static IServiceCollection AddDriverOffersAuth(this IServiceCollection services, IConfiguration config, IHostEnvironment env)
    {
        var options = config.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();
        if (string.IsNullOrWhiteSpace(options.JwtSecret))
        {
            // A generated key lives in one server's folder: a second server behind the same balancer, or a redeploy into
            // a fresh folder, would sign with another one, and every token and offer link out there would stop working.
            if ((config.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions()).IsAttach || ScaleOutOptions.From(config).IsConfigured)
            {
                throw new StartupException("Auth:JwtSecret is not set; it is required with Database:Mode=attach or Redis:ConnectionString " +
                    "(every server of a site signs tokens and offer links with it). Set a random value of at least 32 bytes, e.g. the output of `openssl rand -base64 48`.");
            }
            options.JwtSecret = LocalSecret(env);
        }
        if (System.Text.Encoding.UTF8.GetByteCount(options.JwtSecret) is var length and < 32)
        {
            throw new StartupException($"Auth:JwtSecret is {length} bytes; HS256 needs at least 32. Set a random value, e.g. the output of `openssl rand -base64 48`.");
        }
        if (!string.IsNullOrWhiteSpace(options.PublicBaseUrl) &&
            (!Uri.TryCreate(options.PublicBaseUrl.Trim(), UriKind.Absolute, out var publicBase) || publicBase.Scheme is not ("http" or "https")
             || publicBase.Query.Length > 0 || publicBase.Fragment.Length > 0))
        {
            throw new StartupException($"Auth:PublicBaseUrl '{options.PublicBaseUrl}' is not an http(s) address; it is the base of the links sent to drivers, e.g. https://offers.example.com.");
        }
        services.Configure<AuthOptions>(o =>
        {
            config.GetSection(AuthOptions.Section).Bind(o);
            o.JwtSecret = options.JwtSecret;
        });
        services.AddSingleton<TokenService>();
        services.AddSingleton<RevokedTokens>();
        services.AddSingleton<ActiveAccounts>();
        services.AddHostedService(sp => sp.GetRequiredService<ActiveAccounts>());
        services.AddSingleton(sp => sp.GetService<Realtime.ScaleOutRedis>() is { } redis
            ? new SignOutNotices(redis, sp.GetRequiredService<RevokedTokens>(), sp.GetRequiredService<ActiveAccounts>(), sp.GetRequiredService<ILogger<SignOutNotices>>())
            : new SignOutNotices());
        services.AddHostedService(sp => sp.GetRequiredService<SignOutNotices>());
        services.AddHostedService<SignOutWatch>();
        services.AddSingleton(new OfferLinks(options.JwtSecret));
        services.AddSingleton<LoginThrottle>();
        services.AddSingleton<PhoneCodeThrottle>();
        services.AddSingleton<PhoneCodeGuesses>();
        services.AddSingleton<SignInPace>();

        // The selector only when there is something to select: each scheme's handler is created per request and kept
        // by it, and a hub connection's request lives as long as the connection.
        var auth = services.AddAuthentication(options.Legacy.Enabled ? Selector : Ours)
            .AddJwtBearer(Ours, o =>
            {
                o.MapInboundClaims = false;
                // Nothing reads the token back from the ticket, and a hub connection would keep a copy of it.
                o.SaveToken = false;
                o.TokenValidationParameters = Parameters(options.JwtSecret, options.Issuer, options.Audience);
                o.Events = new JwtBearerEvents { OnMessageReceived = HubQueryToken, OnTokenValidated = KeepCallerClaims };
            });
        if (options.Legacy.Enabled)
        {
            auth.AddPolicyScheme(Selector, Selector, p => p.ForwardDefaultSelector = http => IsOurs(http, options.Issuer) ? Ours : Legacy);
            var legacy = options.Legacy;
            // HS256 keys under 256 bits are refused by the token handler for every token: with a shorter secret the server
            // started and then turned every legacy token away as "signature key was not found".
            if (System.Text.Encoding.UTF8.GetByteCount(legacy.Secret) < 32)
            {
                throw new StartupException(
                    "Auth:Legacy:Secret must be set (at least 32 bytes: HS256 takes no shorter key) when Auth:Legacy:Enabled is true: the PHP system's HS256 secret.");
            }
            auth.AddJwtBearer(Legacy, o =>
            {
                o.MapInboundClaims = false;
                o.SaveToken = false;
                var p = Parameters(legacy.Secret, legacy.Issuer, legacy.Audience);
                o.TokenValidationParameters = p;
                o.Events = new JwtBearerEvents
                {
                    OnMessageReceived = HubQueryToken,
                    OnTokenValidated = ctx => MapLegacyClaims(ctx, legacy),
                };
            });
        }
        services.AddAuthorization();
        return services;
    }

    private static TokenValidationParameters Parameters(string secret, string? issuer, string? audience) => new()
    {
        ValidateIssuer = !string.IsNullOrEmpty(issuer),
        ValidIssuer = issuer,
        ValidateAudience = !string.IsNullOrEmpty(audience),
        ValidAudience = audience,
        ValidateLifetime = true,
        RequireExpirationTime = true,
        RequireSignedTokens = true,
        ValidateIssuerSigningKey = true,
        IssuerSigningKey = TokenService.SigningKey(secret),
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        ClockSkew = TimeSpan.FromSeconds(30),
        NameClaimType = Caller.NameClaim,
        RoleClaimType = Caller.RoleClaim,
    };

    /// <summary>Browsers can't set headers on WebSockets, so the hub also takes the token from <c>access_token</c>.</summary>
    private static Task HubQueryToken(MessageReceivedContext ctx)
    {
        if (QueryToken(ctx.HttpContext) is { } token)
        {
            ctx.Token = token;
        }
        return Task.CompletedTask;
    }

    private static string? QueryToken(HttpContext http) =>
        http.Request.Path.StartsWithSegments("/hubs") &&
        http.Request.Query.TryGetValue(AccessTokenParameter, out var token) && !string.IsNullOrEmpty(token)
            ? token.ToString()
            : null;

    /// <summary>
    /// The token the bearer handler would validate for this request: <c>access_token</c> on hub paths (the
    /// <c>MessageReceived</c> event above), else the <c>Authorization: Bearer</c> header, trimmed; null when there is none.
    /// </summary>
    internal static string? BearerToken(HttpContext http)
    {
        if (QueryToken(http) is { } query)
        {
            return query;
        }
        var header = http.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var token = header["Bearer ".Length..].Trim();
        return token.Length == 0 ? null : token;
    }

    /// <summary>
    /// A hub connection keeps its principal for as long as it is open (10,000 idle drivers = 10,000 principals). The
    /// validated identity holds the whole token (raw text, decoded header and payload, every registered claim twice):
    /// about 4 KB. Only what <see cref="Caller.From"/> reads is kept, with the role the account has now; a token of an
    /// account disabled since it was issued is refused (<see cref="ActiveAccounts"/>).
    /// </summary>
    private static async Task KeepCallerClaims(TokenValidatedContext ctx)
    {
        var accounts = ctx.HttpContext.RequestServices.GetRequiredService<ActiveAccounts>();
        var tokenId = TokenId(ctx.SecurityToken);
        if (accounts.IsSignedOut(tokenId))
        {
            ctx.Fail(SignedOut);
            return;
        }
        if (await CurrentCallerPrincipal(ctx.Principal!, tokenId, accounts, ctx.HttpContext.RequestAborted) is not { } principal)
        {
            ctx.Fail("This account is no longer active.");
            return;
        }
        ctx.Principal = principal;
        ForgetHubToken(ctx);
    }

    internal const string SignedOut = "This token was signed out; sign in again.";

    /// <summary>What names a validated token in the revocation list (<see cref="RevokedToken.IdOf"/>).</summary>
    internal static string? TokenId(SecurityToken? token) => token is JsonWebToken jwt ? RevokedToken.IdOf(jwt) : null;

    /// <summary>The caller's principal (<see cref="CallerPrincipal"/>) with the role their account has now, or null if the
    /// account was disabled since the token was issued. <paramref name="tokenId"/> goes with it (<see cref="CallerIdentity.TokenId"/>).</summary>
    internal static async ValueTask<ClaimsPrincipal?> CurrentCallerPrincipal(ClaimsPrincipal validated, string? tokenId, ActiveAccounts accounts, CancellationToken ct)
    {
        var principal = CallerPrincipal(validated, tokenId);
        if (Caller.From(principal) is not { } caller)
        {
            return principal;
        }
        return await accounts.Current(caller, ct) is { } current ? current == caller ? principal : current.ToPrincipal(Ours, tokenId) : null;
    }

    /// <inheritdoc cref="KeepCallerClaims"/>
    internal static ClaimsPrincipal CallerPrincipal(ClaimsPrincipal validated, string? tokenId = null)
    {
        var claims = new List<Claim>(3);
        foreach (var type in (ReadOnlySpan<string>)[Caller.SubjectClaim, Caller.RoleClaim, Caller.NameClaim])
        {
            if (validated.FindFirstValue(type) is { } value)
            {
                claims.Add(new Claim(type, value));
            }
        }
        var kept = new ClaimsPrincipal(new ClaimsIdentity(claims, Ours, Caller.NameClaim, Caller.RoleClaim));
        return Caller.From(kept)?.ToPrincipal(Ours, tokenId) ?? kept;
    }

    /// <summary>
    /// A hub connection's HTTP request lives as long as the connection, and with it the token it was opened with: the
    /// <c>Authorization</c> header, or for browsers <c>access_token</c> in the URL (the raw target, the query string and
    /// its parsed form). Nothing reads it again once the connection is authenticated; it was 0.6–2 KB per connection.
    /// The ticket's properties go too: the handler fills them with the token's issue and expiry times as text, which
    /// only SignalR's opt-in <c>CloseOnAuthenticationExpiration</c> reads (not used: a connection outlives its token, as
    /// before). ~0.3 KB per connection.
    /// </summary>
    private static void ForgetHubToken(TokenValidatedContext ctx)
    {
        if (ctx.HttpContext.Request.Path.StartsWithSegments("/hubs"))
        {
            ctx.Properties = new AuthenticationProperties();
        }
        ForgetHubToken(ctx.HttpContext);
    }

    /// <inheritdoc cref="ForgetHubToken(TokenValidatedContext)"/>
    internal static void ForgetHubToken(HttpContext http)
    {
        var request = http.Request;
        if (!request.Path.StartsWithSegments("/hubs"))
        {
            return;
        }
        request.Headers.Remove(HeaderNames.Authorization);
        if (!request.Query.ContainsKey(AccessTokenParameter))
        {
            return;
        }
        var rest = QueryString.Create(request.Query.Where(q => !string.Equals(q.Key, AccessTokenParameter, StringComparison.OrdinalIgnoreCase)));
        request.QueryString = rest;
        if (http.Features.Get<IHttpRequestFeature>() is { } feature)
        {
            var query = feature.RawTarget.IndexOf('?', StringComparison.Ordinal);
            feature.RawTarget = (query < 0 ? feature.RawTarget : feature.RawTarget[..query]) + rest.ToUriComponent();
        }
    }

    /// <summary>Which scheme the selector picks when legacy tokens are enabled: ours unless the token names another issuer.</summary>
    internal static bool IsOurs(HttpContext http, string issuer)
    {
        string? raw = null;
        var header = http.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            raw = header[7..].Trim();
        }
        else if (http.Request.Path.StartsWithSegments("/hubs"))
        {
            raw = http.Request.Query[AccessTokenParameter];
        }
        if (string.IsNullOrEmpty(raw))
        {
            return true;
        }
        try
        {
            return new JsonWebToken(raw).Issuer == issuer;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }

    /// <summary>Legacy tokens name the user with their own claims; map them to ours and make sure the user is still active.</summary>
    private static async Task MapLegacyClaims(TokenValidatedContext ctx, LegacyTokenOptions legacy)
    {
        var accounts = ctx.HttpContext.RequestServices.GetRequiredService<ActiveAccounts>();
        var tokenId = TokenId(ctx.SecurityToken);
        if (accounts.IsSignedOut(tokenId))
        {
            ctx.Fail(SignedOut);
            return;
        }
        var (principal, failure) = await LegacyCallerPrincipal(ctx.Principal!, tokenId, legacy, accounts, ctx.HttpContext.RequestAborted);
        if (principal is null)
        {
            ctx.Fail(failure!);
            return;
        }
        ctx.Principal = principal;
        ForgetHubToken(ctx);
    }

    /// <inheritdoc cref="MapLegacyClaims"/>
    internal static async Task<(ClaimsPrincipal? Principal, string? Failure)> LegacyCallerPrincipal(
        ClaimsPrincipal validated, string? tokenId, LegacyTokenOptions legacy, ActiveAccounts accounts, CancellationToken ct)
    {
        var idText = validated.FindFirstValue(legacy.UserIdClaim);
        if (!int.TryParse(idText, out var userId))
        {
            return (null, $"Legacy token has no numeric '{legacy.UserIdClaim}' claim.");
        }
        // The users table is the authority on roles (a token can't raise its own) and names the user; its snapshot
        // answers without a query per request.
        return await accounts.User(userId, ct) is { } caller
            ? (caller.ToPrincipal(Legacy, tokenId), null)
            : (null, "Legacy token names an unknown or inactive user.");
    }

    /// <summary>With no configured secret, keep one beside the SQLite file so sessions survive restarts in development.</summary>
    private static string LocalSecret(IHostEnvironment env)
    {
        var dir = Path.Combine(env.ContentRootPath, "data");
        var path = Path.Combine(dir, "jwt-secret");
        try
        {
            if (File.Exists(path))
            {
                return File.ReadAllText(path).Trim();
            }
            Directory.CreateDirectory(dir);
            var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
            File.WriteAllText(path, secret);
            return secret;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StartupException($"Auth:JwtSecret is not set and the generated one cannot be kept in {path} ({e.Message}). " +
                "Make that folder writable for this user, or set Auth:JwtSecret (at least 32 bytes).", e);
        }
    }
}
