using DriverOffers.Server.Common;
using DriverOffers.Server.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DriverOffers.Server.Features.Outbox;

/// <summary>
/// Delivers due outbox rows through the configured senders, retrying failures with exponential backoff until
/// <c>Messaging:MaxAttempts</c>, after which the row stays visible as <c>failed</c>. Rows are stored before this ever
/// sees them, so a crash or restart loses nothing: a claimed row whose send never finished becomes due again.
/// </summary>
public sealed class OutboxDelivery(
    IServiceScopeFactory scopes, IEnumerable<IMessageSender> senders, IOptions<MessagingOptions> options,
    TimeProvider clock, ILogger<OutboxDelivery> log) : BackgroundService
{
    private const int BatchSize = 20;
    private readonly Dictionary<string, IMessageSender> _senders = senders.ToDictionary(s => s.Channel, StringComparer.Ordinal);
    private readonly MessagingOptions _o = options.Value;
    private readonly FailureStreak _failures = new(log, "Outbox delivery round");

    /// <summary>Channels that have a real sender; the others are outbox only.</summary>
    public IReadOnlyCollection<string> AutomaticChannels => _senders.Keys;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_senders.Count == 0)
        {
            log.LogInformation("No message sender configured: messages to drivers stay in the outbox for dispatchers to copy.");
            return;
        }
        var poll = TimeSpan.FromSeconds(Math.Max(0.05, _o.PollSeconds));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await DeliverDueAsync(stoppingToken) == BatchSize)
                {
                }
                _failures.Succeeded();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A database hiccup must not stop delivery for good; the rows are still there next round.
                _failures.Failed(e);
            }
            try
            {
                await Task.Delay(poll, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One round: sends every due row of a channel with a sender; returns how many it tried.</summary>
    internal async Task<int> DeliverDueAsync(CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        var now = clock.GetUtcNow().UtcDateTime;
        var channels = _senders.Keys.ToArray();
        var due = await db.Outbox
            .Where(m => m.Status == OutboxStatus.Pending && m.NextAttemptAt != null && m.NextAttemptAt <= now && channels.Contains(m.Channel))
            .OrderBy(m => m.NextAttemptAt).ThenBy(m => m.Id)
            .Take(BatchSize)
            .ToListAsync(ct);
        foreach (var message in due)
        {
            if (await ClaimAsync(db, message, now, ct))
            {
                await SendOneAsync(db, message, ct);
            }
        }
        return due.Count;
    }

    /// <summary>
    /// Pushes the row's next attempt past the send timeout, conditionally: with several server instances only one wins
    /// a row, and if this one dies mid-send the row is due again once the lease runs out.
    /// </summary>
    private async Task<bool> ClaimAsync(AppDb db, OutboxMessage message, DateTime now, CancellationToken ct)
    {
        var lease = now + TimeSpan.FromSeconds(_o.SendTimeoutSeconds * 2);
        var seen = message.NextAttemptAt;
        var claimed = await TransientConflicts.Retry(() => db.Outbox
            .Where(m => m.Id == message.Id && m.Status == OutboxStatus.Pending && m.NextAttemptAt == seen)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.NextAttemptAt, lease), ct), ct);
        return claimed == 1;
    }

    private async Task SendOneAsync(AppDb db, OutboxMessage message, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(_o.SendTimeoutSeconds));
        string? error = null;
        try
        {
            await _senders[message.Channel].SendAsync(message, timeout.Token);
        }
        catch (MessageSendException e)
        {
            error = e.Message;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            error = $"No answer within {_o.SendTimeoutSeconds} seconds.";
        }
        var now = clock.GetUtcNow().UtcDateTime;
        if (error is null)
        {
            message.MarkSent(now);
        }
        else
        {
            message.MarkFailed(error, now, _o.MaxAttempts, TimeSpan.FromSeconds(_o.RetryBaseSeconds));
            log.LogWarning("Outbox message {Id} ({Channel}) attempt {Attempt} failed: {Error}", message.Id, message.Channel, message.Attempts, error);
        }
        // The claim moved next_attempt_at in the database only; the tracked entity's values are the truth again now.
        // Sent is sent: a save that lost a deadlock and gave up would leave the row due to be sent twice once the lease ends.
        await TransientConflicts.Retry(() => db.SaveChangesAsync(CancellationToken.None), CancellationToken.None);
    }
}
