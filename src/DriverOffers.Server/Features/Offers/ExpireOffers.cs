using DriverOffers.Server.Common;
using DriverOffers.Server.Data;
using DriverOffers.Server.Features.Auth;
using DriverOffers.Server.Features.Chat;
using DriverOffers.Server.Realtime;
using Microsoft.EntityFrameworkCore;

namespace DriverOffers.Server.Features.Offers;

/// <summary>
/// Makes an offer's expiry heard. An offer past <c>expires_at</c> stays <c>active</c> and closes by the clock alone
/// (<see cref="Offer.IsExpired"/>), so nothing else would tell anyone: once it passes, each invited driver's
/// conversation gets a system message, then the dispatcher side and every invited driver get <c>offer_updated</c>
/// (<c>is_expired: true</c>) and both sides of each conversation the message as <c>new_message</c>.
/// <para>
/// Sleeps until the next expiry still to tell, as the database says, so nothing is read while nothing expires; at most
/// <see cref="MaxSleep"/>, so an expiry set through another server is not missed for long if that server dies.
/// <see cref="Arm"/> wakes it sooner when this server saves an earlier one. Offers that expired while no server ran are
/// told at start.
/// </para>
/// <para>
/// The messages are saved with <see cref="Offer.AnnounceExpiry"/>'s version bump in one transaction that took the offer's
/// lock before reading it: when several servers share the database (or a booking, cancel or edit races the announcement)
/// the later one reads the offer as told (or closed), so a conversation never holds the same expiry twice.
/// </para>
/// </summary>
public sealed class ExpireOffers(IServiceScopeFactory scopes, ILiveEvents live, TimeProvider clock, ILogger<ExpireOffers> log)
    : BackgroundService
{
    public static readonly TimeSpan MaxSleep = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan RetryAfterLoss = TimeSpan.FromMilliseconds(250);
    private const int BatchSize = 100;

    private readonly Lock _gate = new();
    /// <summary>Until when the announcer sleeps; <see cref="DateTime.MaxValue"/> while it reads, since the read may have
    /// missed an offer saved meanwhile.</summary>
    private DateTime _wakeAt = DateTime.MaxValue;
    private TaskCompletionSource _armed = NewAlarm();
    private readonly FailureStreak _failures = new(log, "Announcing expired offers");

    /// <summary>Call after saving an offer with this expiry: wakes the announcer if it would sleep past it.</summary>
    public void Arm(DateTime? expiresAt)
    {
        if (expiresAt is not { } at)
        {
            return;
        }
        lock (_gate)
        {
            if (at < _wakeAt)
            {
                _wakeAt = at;
                _armed.TrySetResult();
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            TaskCompletionSource armed;
            lock (_gate)
            {
                _wakeAt = DateTime.MaxValue;
                armed = _armed = NewAlarm();
            }
            DateTime? next;
            try
            {
                next = await AnnounceDue(stoppingToken);
                _failures.Succeeded();
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // A database hiccup must not end the announcer: nothing was marked, so the next round tells it.
                _failures.Failed(e);
                next = clock.GetUtcNow().UtcDateTime + RetryAfterFailure;
            }
            catch (Exception) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            var now = clock.GetUtcNow().UtcDateTime;
            var sleep = next is { } at ? at - now : MaxSleep;
            if (sleep <= TimeSpan.Zero)
            {
                continue;
            }
            if (sleep > MaxSleep)
            {
                sleep = MaxSleep;
            }
            lock (_gate)
            {
                _wakeAt = now + sleep;
            }
            using var wake = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var delay = Task.Delay(sleep, clock, wake.Token);
            // The sleep is until a moment: a clock that passed it while the timer was being set (a test's fake clock,
            // moved on another thread) would otherwise start the whole sleep again from there.
            if (clock.GetUtcNow().UtcDateTime < now + sleep)
            {
                await Task.WhenAny(delay, armed.Task);
            }
            await wake.CancelAsync();
        }
    }

    /// <summary>One round: tells every expiry due now; returns when the next one is due (null: none is set).</summary>
    internal async Task<DateTime?> AnnounceDue(CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        var now = clock.GetUtcNow().UtcDateTime;
        var due = await Untold(db).Where(o => o.ExpiresAt <= now).OrderBy(o => o.ExpiresAt).Select(o => o.Id).Take(BatchSize).ToListAsync(ct);
        var (told, lost) = (0, 0);
        foreach (var offerId in due)
        {
            var result = await Announce(db, offerId, ct);
            told += result == Result.Told ? 1 : 0;
            lost += result == Result.Lost ? 1 : 0;
        }
        if (due.Count == BatchSize && told > 0)
        {
            return now;
        }
        var next = await Untold(db).Where(o => o.ExpiresAt > now).MinAsync(o => o.ExpiresAt, ct);
        // A lost save is read again soon: usually another server told it, but a busy database may have been the reason.
        return lost > 0 && (next is null || next > now + RetryAfterLoss) ? now + RetryAfterLoss : next;
    }

    public static string Message(DateTime expiresAt) =>
        $"This offer expired on {ChatLog.Moment(expiresAt)}; it can no longer be accepted or booked.";

    private static IQueryable<Offer> Untold(AppDb db) =>
        db.Offers.AsNoTracking().Where(o => o.Status == OfferStatus.Active && o.ExpiryAnnouncedAt == null && o.ExpiresAt != null);

    private enum Result
    {
        Told,
        NotDue,
        Lost,
    }

    /// <summary>Not due: booked, cancelled or extended meanwhile, or told by another server. Lost: the save lost a race.</summary>
    private async Task<Result> Announce(AppDb db, int offerId, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        var now = clock.GetUtcNow().UtcDateTime;
        ChatLog log;
        try
        {
            // Locked before it is read, as every writer of an offer does (AppDb.LockOffer): a booking in flight is waited for.
            await using var tx = await db.LockOffer(offerId, ct);
            var offer = await db.Offers.FirstOrDefaultAsync(o => o.Id == offerId, ct);
            if (offer is null || !offer.IsExpiryDue(now))
            {
                await tx.Abandon(ct);
                return Result.NotDue;
            }
            offer.AnnounceExpiry(now);
            // Nobody acted: the clock did. The messages are the offer's side of each conversation, as its dispatcher's.
            log = new ChatLog(db, new Caller(offer.CreatedBy, User.Dispatcher, ""), now);
            var text = Message(offer.ExpiresAt!.Value);
            foreach (var driverId in await db.Proposals.AsNoTracking().Where(p => p.OfferId == offerId).Select(p => p.DriverId).ToListAsync(ct))
            {
                log.System(offerId, driverId, text);
            }
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateException e) when (DbErrors.IsTransientConflict(e))
        {
            // Its version moved (a writer that did not lock it) or the database gave up on the lock (deadlock, busy).
            db.ChangeTracker.Clear();
            return Result.Lost;
        }
        await live.OfferChanged(offerId, created: false, ct);
        await log.Announce(live, ct);
        return Result.Told;
    }

    private static TaskCompletionSource NewAlarm() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
