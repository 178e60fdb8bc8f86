namespace DriverOffers.Server.Features.Auth;

/// <summary>A dispatcher, manager or admin, from the legacy dispatch system's <c>users</c> table.</summary>
public sealed class User
{
    public const string Dispatcher = "dispatcher";
    public const string Manager = "manager";
    public const string Admin = "admin";

    private User() { }

    public User(int id, string username, string email, string passwordHash, string fullName, string? mobileNumber, string role, bool isActive, DateTime createdAt)
    {
        Id = id;
        Username = username;
        Email = email;
        Password = passwordHash;
        FullName = fullName;
        MobileNumber = mobileNumber;
        Role = role;
        IsActive = isActive;
        CreatedAt = createdAt;
    }

    public int Id { get; private set; }
    public string Username { get; private set; } = "";
    public string Email { get; private set; } = "";
    /// <summary>PHP <c>password_hash</c> output (bcrypt, <c>$2y$</c>).</summary>
    public string Password { get; private set; } = "";
    public string FullName { get; private set; } = "";
    public string? MobileNumber { get; private set; }
    public string Role { get; private set; } = Dispatcher;
    public bool IsActive { get; private set; }
    public DateTime CreatedAt { get; private set; }

    public bool IsSupervisor => Role is Manager or Admin;

    /// <summary>
    /// Whether <paramref name="candidate"/> signs <paramref name="user"/> in: an active user whose hash it matches. The
    /// hash is checked whatever the user (none, disabled), against a stand-in of the usual cost when there is none, so the
    /// time a refusal takes doesn't tell an unknown or disabled account from a wrong password.
    /// </summary>
    public static bool CheckPassword(User? user, string candidate)
    {
        if (user is null || !user.Password.StartsWith("$2", StringComparison.Ordinal))
        {
            // The same work as a real check; whatever it answers, there is nobody to sign in.
            _ = VerifyAgainst(StandIn.Value, candidate);
            return false;
        }
        return user.VerifyPassword(candidate) && user.IsActive;
    }

    /// <summary>A bcrypt hash at PHP's default cost that no password matches in practice (random).</summary>
    private static readonly Lazy<string> StandIn = new(() => HashLikePhp(Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24))));

    private static bool VerifyAgainst(string hash, string candidate)
    {
        try
        {
            return BCrypt.Net.BCrypt.Verify(candidate, hash);
        }
        catch (BCrypt.Net.SaltParseException)
        {
            return false;
        }
    }

    public bool VerifyPassword(string candidate)
    {
        if (string.IsNullOrEmpty(Password) || !Password.StartsWith("$2", StringComparison.Ordinal))
        {
            return false;
        }
        try
        {
            return BCrypt.Net.BCrypt.Verify(candidate, Password);
        }
        catch (BCrypt.Net.SaltParseException)
        {
            return false;
        }
    }

    /// <summary>Hashes like PHP's <c>password_hash($p, PASSWORD_BCRYPT)</c>: <c>$2y$10$…</c>.</summary>
    public static string HashLikePhp(string password, int workFactor = 10) =>
        BCrypt.Net.BCrypt.HashPassword(password, workFactor).Replace("$2a$", "$2y$", StringComparison.Ordinal);
}
