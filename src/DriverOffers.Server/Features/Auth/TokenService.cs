using System.Security.Claims;
using System.Text;
using DriverOffers.Server.Common;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace DriverOffers.Server.Features.Auth;

/// <summary>Mints this product's access tokens (HS256, issuer, audience, expiry).</summary>
public sealed class TokenService(IOptions<AuthOptions> options, TimeProvider clock)
{
    private readonly AuthOptions _o = options.Value;
    private readonly JsonWebTokenHandler _handler = new();

    public (string Token, int ExpiresIn) ForUser(User user) =>
        Issue(user.Id, user.Role, user.FullName, TimeSpan.FromMinutes(_o.AccessTokenMinutes));

    public (string Token, int ExpiresIn) ForDriver(int truckId, string? driverName) =>
        Issue(truckId, Caller.DriverRole, driverName ?? "", TimeSpan.FromHours(_o.DriverTokenHours));

    private (string, int) Issue(int id, string role, string name, TimeSpan lifetime)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = _o.Issuer,
            Audience = _o.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            Subject = new ClaimsIdentity([
                new Claim(Caller.SubjectClaim, id.ToString()),
                new Claim(Caller.RoleClaim, role),
                new Claim(Caller.NameClaim, name),
                // Two tokens of one person signed in within the same second would be the same token: signing one out
                // (RevokedToken.IdOf) would sign out the other device too.
                new Claim(JwtRegisteredClaimNames.Jti, Guid.NewGuid().ToString("N")),
            ]),
            SigningCredentials = new SigningCredentials(SigningKey(_o.JwtSecret), SecurityAlgorithms.HmacSha256),
        });
        return (token, (int)lifetime.TotalSeconds);
    }

    public static SymmetricSecurityKey SigningKey(string secret) => new(Encoding.UTF8.GetBytes(secret));
}
