using System.Globalization;
using DriverOffers.Server.Realtime;
using StackExchange.Redis;

namespace DriverOffers.Server.Features.Auth;

/// <summary>
/// With several servers sharing a Redis, a sign-out taken by one is published, and the others refuse the token and close
/// its hub connections within a Redis round trip, instead of at their next account refresh (<c>Auth:AccountRefreshSeconds</c>,
/// which stays the bound for notices lost while Redis is away). One server: nothing to tell.
/// </summary>
public sealed class SignOutNotices : IHostedService
{
    private readonly RedisNotices? _peers;
    private readonly RevokedTokens? _revoked;
    private readonly ActiveAccounts? _accounts;

    /// <summary>One server: its own sign-outs already take effect here at once.</summary>
    public SignOutNotices()
    {
    }

    public SignOutNotices(ScaleOutRedis redis, RevokedTokens revoked, ActiveAccounts accounts, ILogger<SignOutNotices> log)
    {
        _peers = new RedisNotices(redis, "signed-out", log);
        _revoked = revoked;
        _accounts = accounts;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_peers is { } peers)
        {
            // Off the start-up path: connecting waits on Redis, which may be away (the server starts degraded).
            _ = Task.Run(() => peers.Listen(Heard), CancellationToken.None);
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Tells the other servers; the caller has already revoked the token here and stored it.</summary>
    public void SignedOut(string tokenId, DateTime expiresAt)
    {
        if (_peers is null)
        {
            return;
        }
        var ticks = expiresAt.Ticks.ToString(CultureInfo.InvariantCulture);
        _peers.Publish($"{ticks}|{tokenId}", "other servers see it at their next account refresh");
    }

    private void Heard(RedisValue notice)
    {
        var text = (string?)notice;
        var bar = text?.IndexOf('|', StringComparison.Ordinal) ?? -1;
        if (bar <= 0 || !long.TryParse(text.AsSpan(0, bar), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks)
        {
            return;
        }
        var tokenId = text![(bar + 1)..];
        _revoked!.Heard(tokenId, new DateTime(ticks, DateTimeKind.Utc));
        _accounts!.CloseSignedOut(tokenId);
    }
}
