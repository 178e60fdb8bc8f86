using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;

namespace DriverOffers.Server.Features.Auth;

/// <summary>
/// A token signed out before it expired (<see cref="Logout"/>). Kept until the token would have expired anyway, then
/// deleted: past that the token is refused for its expiry alone.
/// </summary>
public sealed class RevokedToken
{
    private RevokedToken() { }

    /// <summary><see cref="IdOf"/> the token.</summary>
    public string Id { get; private set; } = "";
    public DateTime ExpiresAt { get; private set; }
    public DateTime RevokedAt { get; private set; }

    public const int IdLength = 43;

    public static RevokedToken Create(string id, DateTime expiresAt, DateTime now) => new() { Id = id, ExpiresAt = expiresAt, RevokedAt = now };

    /// <summary>
    /// What names a token in the revocation list: a hash of its signature, so it covers tokens without a <c>jti</c>
    /// (the legacy system's, and ours issued before they carried one) and the list can't be turned back into tokens. Ours
    /// carry a random <c>jti</c>, so two signed in the same second are still two tokens.
    /// </summary>
    public static string IdOf(JsonWebToken token) =>
        Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(token.EncodedSignature))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
