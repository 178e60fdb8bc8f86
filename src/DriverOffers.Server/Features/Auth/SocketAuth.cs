using System.Security.Claims;
using System.Text.Json;
using DriverOffers.Server.Common;
using DriverOffers.Server.Data;
using DriverOffers.Server.Realtime;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DriverOffers.Server.Features.Auth;

/// <summary>
/// POST /api/socket/auth (seed): validates a token, says who it is and where the hub is. The token comes as
/// <c>Authorization: Bearer</c> (like every other route) or in the body as <c>{"token": "…"}</c> (also
/// <c>{"access_token": "…"}</c>): the seed's Socket.io server was handed the token to check, and "validates a token"
/// reads that way, so both are accepted. The header wins when both are sent.
/// </summary>
public static class SocketAuth
{
    public sealed record Request(string? Token, string? AccessToken);

    public sealed record Response(bool Valid, GetMe.Response User, string HubPath, string[] Transports);

    private const string HowToSend = "Send the token as an Authorization: Bearer header or in the body as {\"token\": \"…\"}.";

    public static async Task<Results<Ok<Response>, ProblemHttpResult, ValidationProblem>> Handle(HttpContext http, AppDb db,
        IServiceScopeFactory scopes, CancellationToken ct)
    {
        var principal = http.User;
        if (Caller.From(principal) is null)
        {
            if (AuthSetup.BearerToken(http) is not null)
            {
                // A header token the bearer handler already refused: the body is not a second chance for it.
                return Unauthorized("The token is invalid, expired, or its account is no longer active.");
            }
            switch (await BodyToken(http, ct))
            {
                case Outcome.Invalid invalid:
                    return Problems.Invalid(invalid);
                case TokenGiven { Token: null }:
                    return Unauthorized($"No token was given. {HowToSend}");
                case TokenGiven { Token: { } token }:
                    principal = await Validate(token, http, scopes);
                    if (principal is null)
                    {
                        return Unauthorized("The token is invalid, expired, or its account is no longer active.");
                    }
                    break;
            }
        }
        var me = await GetMe.Describe(Caller.Require(principal), db, ct);
        return me is null
            ? Unauthorized("The token's account is no longer active.")
            : TypedResults.Ok(new Response(true, me, OffersHub.Path, ["websockets", "server_sent_events", "long_polling"]));
    }

    private sealed record TokenGiven(string? Token) : Outcome;

    private static ProblemHttpResult Unauthorized(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized");

    /// <summary>The body's token; no body (or <c>{}</c>) is no token. A malformed body names what is wrong with it.</summary>
    private static async Task<Outcome> BodyToken(HttpContext http, CancellationToken ct)
    {
        var request = http.Request;
        if (http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestBodyDetectionFeature>() is { CanHaveBody: false } || request.ContentLength is 0)
        {
            return new TokenGiven(null);
        }
        if (!request.HasJsonContentType())
        {
            // Worded by ErrorHandling as every route's 415.
            throw new BadHttpRequestException("Content-Type must be application/json.", StatusCodes.Status415UnsupportedMediaType);
        }
        Request? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<Request>(request.Body, ApiJson.Options, ct);
        }
        catch (JsonException json)
        {
            return new Outcome.Invalid(ErrorHandling.JsonErrors(json));
        }
        var token = (body?.Token, body?.AccessToken) switch
        {
            ({ } t, { } a) when t != a => null,
            ({ } t, _) => t,
            (_, { } a) => a,
            _ => "",
        };
        return token switch
        {
            null => new Outcome.Invalid("token", "token and access_token name different tokens; send one."),
            _ when string.IsNullOrWhiteSpace(token) => new TokenGiven(null),
            _ => new TokenGiven(token.Trim()),
        };
    }

    /// <summary>
    /// Runs the token through the same authentication as a request carrying it in its header (our scheme or the legacy
    /// one, algorithm, issuer, audience, expiry, disabled accounts, role as it is now), on a request of its own: the
    /// schemes' handlers keep their first result for the whole request, and this one's was already "no token".
    /// </summary>
    private static async Task<ClaimsPrincipal?> Validate(string token, HttpContext http, IServiceScopeFactory scopes)
    {
        await using var scope = scopes.CreateAsyncScope();
        var probe = new DefaultHttpContext { RequestServices = scope.ServiceProvider, RequestAborted = http.RequestAborted };
        probe.Request.Path = http.Request.Path;
        probe.Request.Headers.Authorization = $"Bearer {token}";
        var result = await probe.AuthenticateAsync();
        return result.Succeeded && Caller.From(result.Principal) is not null ? result.Principal : null;
    }
}
