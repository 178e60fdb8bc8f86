using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace DriverOffers.Bench;

/// <summary>
/// Mints the server's own access tokens with the secret the bench gave it: HS256 with the claims of
/// Features/Auth/TokenService.cs (sub, role, name, iss, aud, iat, nbf, exp). Thousands of clients sign in
/// this way without thousands of bcrypt logins.
/// </summary>
public sealed class Tokens(string secret, string issuer = "driver-offers", string audience = "driver-offers")
{
    private readonly byte[] _key = Encoding.UTF8.GetBytes(secret);
    private static readonly string Header = B64("""{"alg":"HS256","typ":"JWT"}"""u8);

    public string Dispatcher(int userId, string name) => Issue(userId, "dispatcher", name);
    public string Driver(int truckId, string name) => Issue(truckId, "driver", name);

    private string Issue(int sub, string role, string name)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var payload = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["sub"] = sub.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["role"] = role,
            ["name"] = name,
            ["iss"] = issuer,
            ["aud"] = audience,
            ["iat"] = now,
            ["nbf"] = now - 5,
            ["exp"] = now + 6 * 3600,
        });
        var signingInput = Header + "." + B64(payload);
        var signature = HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(signingInput));
        return signingInput + "." + B64(signature);
    }

    private static string B64(ReadOnlySpan<byte> bytes) => Base64Url.EncodeToString(bytes);
}
