namespace DriverOffers.Server.Features.Auth;

/// <summary>Configuration section <c>Auth</c>. See README "Configuration".</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>HS256 key, at least 32 bytes. When empty (standalone, no Redis), one is generated and kept in data/jwt-secret.</summary>
    public string JwtSecret { get; set; } = "";
    public string Issuer { get; set; } = "driver-offers";
    public string Audience { get; set; } = "driver-offers";
    public int AccessTokenMinutes { get; set; } = 12 * 60;
    public int DriverTokenHours { get; set; } = 7 * 24;
    public int OfferLinkHours { get; set; } = 72;
    /// <summary>Base URL put in driver links; defaults to the request's own origin.</summary>
    public string? PublicBaseUrl { get; set; }
    public int LoginAttemptsPerMinutePerIp { get; set; } = 30;
    public int LoginAttemptsPerMinutePerUser { get; set; } = 10;
    /// <summary>Lifetime of a phone sign-in code.</summary>
    public int PhoneCodeMinutes { get; set; } = 10;
    /// <summary>Tries a phone sign-in code takes from all addresses together; after them it is dead
    /// (<see cref="PhoneCodeGuesses"/>).</summary>
    public int PhoneCodeMaxTries { get; set; } = 20;
    /// <summary>Tries one address may make at one phone sign-in code.</summary>
    public int PhoneCodeMaxTriesPerIp { get; set; } = 5;
    /// <summary>Tries at codes for one number from one address in an hour; past them the address is locked out of it.</summary>
    public int PhoneCodeTriesPerHourPerNumberPerIp { get; set; } = 10;
    /// <summary>Tries at codes for one number from all addresses together in an hour.</summary>
    public int PhoneCodeTriesPerHourPerNumber { get; set; } = 150;
    /// <summary>Code requests for one number from all addresses together (<see cref="PhoneCodeThrottle"/>).</summary>
    public int PhoneCodeRequestsPerHourPerNumber { get; set; } = 30;
    /// <summary>Code requests for one number from one address.</summary>
    public int PhoneCodeRequestsPerHourPerNumberPerIp { get; set; } = 3;
    /// <summary>Code requests from one address, for any numbers.</summary>
    public int PhoneCodeRequestsPerHourPerIp { get; set; } = 60;
    /// <summary>Sign-in refusals and phone code requests take at least this long, so their time tells nothing (<see cref="SignInPace"/>).</summary>
    public int SignInPaceMilliseconds { get; set; } = 300;
    /// <summary>How soon a user or truck disabled in the legacy tables loses access with a token it already has.</summary>
    public int AccountRefreshSeconds { get; set; } = 30;
    /// <summary>How often each server looks for sign-outs taken by the others sharing its database (0: only at the account refresh).</summary>
    public int SignOutCheckSeconds { get; set; } = 2;
    public LegacyTokenOptions Legacy { get; set; } = new();
}

/// <summary>Tokens minted by the existing PHP dispatch system. Off unless a secret is configured.</summary>
public sealed class LegacyTokenOptions
{
    public bool Enabled { get; set; }
    public string Secret { get; set; } = "";
    /// <summary>Issuer to require; empty = the PHP system sets none.</summary>
    public string? Issuer { get; set; }
    public string? Audience { get; set; }
    public string UserIdClaim { get; set; } = "user_id";
    public string RoleClaim { get; set; } = "role";
    public string NameClaim { get; set; } = "username";
}
