using DriverOffers.Server.Common;
using DriverOffers.Server.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace DriverOffers.Server.Features.Auth;

/// <summary>POST /api/auth/login: username (or e-mail) and password of a dispatcher, manager or admin. The e-mail may
/// also come as <c>email</c>, as login forms that ask for one send it, instead of a 400 on an unknown property
/// (decision 118); with both, <c>username</c> is the one checked.</summary>
public static class Login
{
    public sealed record Request(string? Username, string? Password, string? Email = null);

    public sealed record UserResponse(int Id, string Username, string Email, string FullName, string? MobileNumber, string Role)
    {
        public static UserResponse From(User u) => new(u.Id, u.Username, u.Email, u.FullName, u.MobileNumber, u.Role);
    }

    public sealed record Response(string AccessToken, string TokenType, int ExpiresIn, UserResponse User);

    public static async Task<Results<Ok<Response>, ValidationProblem, ProblemHttpResult>> Handle(
        Request request, AppDb db, TokenService tokens, LoginThrottle throttle, SignInPace pace, HttpContext http, CancellationToken ct)
    {
        var started = SignInPace.Start();
        var v = new Validation();
        var username = string.IsNullOrWhiteSpace(request.Username) && !string.IsNullOrWhiteSpace(request.Email)
            ? v.Text(request.Email, "email", 1, 255)
            : v.Text(request.Username, "username", 1, 255);
        v.Check(!string.IsNullOrEmpty(request.Password) && request.Password.Length <= 1024, "password", "password is required (at most 1024 characters).");
        if (!v.IsValid)
        {
            return Problems.Invalid(v);
        }

        var ip = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        string[] keys = [$"ip:{ip}", $"user:{username!.ToLowerInvariant()}"];
        if (throttle.Refuses(keys) is { } wait)
        {
            return Problems.TooManyRequests(http, wait, "sign-in attempts");
        }

        var user = await db.Users.AsNoTracking()
            .FirstOrDefaultAsync(u => u.Username == username || u.Email == username, ct);
        // Same answer, and the same time, for unknown user, wrong password and inactive account: no account enumeration.
        if (!User.CheckPassword(user, request.Password!))
        {
            throttle.Failed(keys);
            await pace.Wait(started, ct);
            return TypedResults.Problem("Wrong username or password, or the account is disabled.", statusCode: 401, title: "Sign-in failed");
        }
        var (token, expiresIn) = tokens.ForUser(user!);
        return TypedResults.Ok(new Response(token, "Bearer", expiresIn, UserResponse.From(user!)));
    }
}
