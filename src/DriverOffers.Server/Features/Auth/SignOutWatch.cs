using DriverOffers.Server.Common;
using DriverOffers.Server.Data;
using Microsoft.Extensions.Options;

namespace DriverOffers.Server.Features.Auth;

/// <summary>
/// Looks for sign-outs taken by other servers sharing the database every <c>Auth:SignOutCheckSeconds</c> (2): refuses
/// their tokens here and closes their hub connections. Without it (and without Redis, <see cref="SignOutNotices"/>) a
/// signed-out token stayed good on the others until their account refresh, up to 30 s. Whether other servers exist
/// can't be known here, so it always runs, and costs an indexed read of the last few seconds' rows
/// (docs/decisions/117-guesses-strangers-make-and-sign-outs-elsewhere.md).
/// </summary>
public sealed class SignOutWatch(IServiceScopeFactory scopes, RevokedTokens revoked, ActiveAccounts accounts, TimeProvider clock,
    IOptions<AuthOptions> options, ILogger<SignOutWatch> log) : BackgroundService
{
    private readonly FailureStreak _failures = new(log, "Looking for sign-outs on other servers");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var seconds = options.Value.SignOutCheckSeconds;
        if (seconds <= 0)
        {
            return;
        }
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(seconds), clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await Look(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task Look(CancellationToken ct)
    {
        try
        {
            using var scope = scopes.CreateScope();
            var fresh = await revoked.ReadNew(scope.ServiceProvider.GetRequiredService<AppDb>(), ct);
            foreach (var tokenId in fresh)
            {
                accounts.CloseSignedOut(tokenId);
            }
            _failures.Succeeded();
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            // The account refresh still reads them; the next look tries again.
            _failures.Failed(e);
        }
    }
}
