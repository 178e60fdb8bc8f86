using DriverOffers.Server.Common;
using Microsoft.Extensions.Options;

namespace DriverOffers.Server.Features.Auth;

/// <summary>
/// Tries at phone sign-in codes, counted per address so a stranger's wrong guesses don't end the driver's code
/// (docs/decisions/117-guesses-strangers-make-and-sign-outs-elsewhere.md). In an hour:
/// <list type="bullet">
/// <item>one address, one code (<c>PhoneCodeMaxTriesPerIp</c>, 5): that address is done with the code; others are not;</item>
/// <item>one address, one number (<c>PhoneCodeTriesPerHourPerNumberPerIp</c>, 10): the address is locked out of the number;</item>
/// <item>all addresses, one number (<c>PhoneCodeTriesPerHourPerNumber</c>, 150): with the code's own cap in the database
/// (<c>PhoneCodeMaxTries</c>, 20, across servers) what keeps guessing a 6-digit code hopeless.</item>
/// </list>
/// Every try counts, right or wrong, and tries at a number without a code count the same, so the 429 says nothing about
/// the number.
/// </summary>
public sealed class PhoneCodeGuesses(IOptions<AuthOptions> options) : KeyedWindowLimiter(
    key => key switch
    {
        _ when key.StartsWith("code-ip:", StringComparison.Ordinal) => options.Value.PhoneCodeMaxTriesPerIp,
        _ when key.StartsWith("phone-ip:", StringComparison.Ordinal) => options.Value.PhoneCodeTriesPerHourPerNumberPerIp,
        _ => options.Value.PhoneCodeTriesPerHourPerNumber,
    },
    TimeSpan.FromHours(1))
{
    /// <summary>Takes a try at <paramref name="phone"/> from <paramref name="ip"/>; the wait when this address, or every
    /// address together, has used up the hour's tries at the number.</summary>
    public TimeSpan? TryNumber(string phone, string ip) => TryAcquireAll($"phone-ip:{phone}@{ip}", $"phone:{phone}");

    /// <summary>Takes a try at the code <paramref name="codeId"/> from <paramref name="ip"/>; false once this address
    /// has made its tries at it.</summary>
    public bool TryCode(int codeId, string ip) => TryAcquireAll($"code-ip:{codeId}@{ip}") is null;
}
