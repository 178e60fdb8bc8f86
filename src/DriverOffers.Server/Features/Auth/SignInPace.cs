using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace DriverOffers.Server.Features.Auth;

/// <summary>
/// Sign-in refusals (login, phone code) and phone code requests are answered no sooner than <c>Auth:SignInPaceMilliseconds</c>
/// after they arrive. Their answers are the same whether or not the account exists, but their time was not: an unknown
/// username skipped the password hash (5 ms against 150), a phone number with a truck had a code stored (a write and a
/// commit more), so the clock told which usernames, e-mail addresses and phone numbers are real
/// (docs/decisions/099-security-pass.md). Wall-clock time, not the application's clock: this is about what a caller can
/// measure.
/// </summary>
public sealed class SignInPace(IOptions<AuthOptions> options)
{
    public static long Start() => Stopwatch.GetTimestamp();

    /// <summary>Waits until the pace has passed since <paramref name="started"/>.</summary>
    public async Task Wait(long started, CancellationToken ct)
    {
        var pace = TimeSpan.FromMilliseconds(options.Value.SignInPaceMilliseconds);
        // Timers run on a coarser clock than the stopwatch and were seen to end a millisecond or two early by it: wait
        // again until the stopwatch agrees.
        for (var left = pace - Stopwatch.GetElapsedTime(started); left > TimeSpan.Zero; left = pace - Stopwatch.GetElapsedTime(started))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(left.TotalMilliseconds) + 1), ct);
        }
    }
}
