namespace DriverOffers.Server.Features.Outbox;

public static class OutboxStatus
{
    public const string Pending = "pending";
    public const string Sent = "sent";
    public const string Failed = "failed";
}

public static class OutboxChannel
{
    public const string Sms = "sms";
    public const string Email = "email";
}

/// <summary>
/// A message to a driver (offer link, sign-in code), kept until a sender delivers it. With no sender configured for
/// its channel it stays <c>pending</c>: the outbox itself is the delivery, and a dispatcher copies the link from it.
/// Offer-related rows carry <c>offer_id</c>; sign-in codes don't, which is what keeps them out of every listing.
/// </summary>
public sealed class OutboxMessage
{
    private OutboxMessage() { }

    public static OutboxMessage Create(string channel, string recipient, int? truckId, int? offerId, string? subject, string body, string? link, DateTime now) =>
        new()
        {
            Channel = channel, Recipient = recipient, TruckId = truckId, OfferId = offerId, Subject = subject,
            Body = body, Link = link, Status = OutboxStatus.Pending, NextAttemptAt = now, CreatedAt = now,
        };

    public int Id { get; private set; }
    public int? OfferId { get; private set; }
    public int? TruckId { get; private set; }
    public string Channel { get; private set; } = OutboxChannel.Sms;
    public string Recipient { get; private set; } = "";
    public string? Subject { get; private set; }
    public string Body { get; private set; } = "";
    public string? Link { get; private set; }
    public string Status { get; private set; } = OutboxStatus.Pending;
    public int Attempts { get; private set; }
    public string? LastError { get; private set; }
    public DateTime? NextAttemptAt { get; private set; }
    public DateTime CreatedAt { get; private set; }
    public DateTime? SentAt { get; private set; }

    public void MarkSent(DateTime now)
    {
        Status = OutboxStatus.Sent;
        Attempts++;
        SentAt = now;
        NextAttemptAt = null;
        LastError = null;
    }

    /// <summary>
    /// Records a failed try. Retries back off exponentially (<paramref name="firstRetryDelay"/>, then twice that, ...)
    /// and stop as <c>failed</c> after <paramref name="maxAttempts"/>: shown to the dispatcher, never dropped.
    /// </summary>
    public void MarkFailed(string error, DateTime now, int maxAttempts, TimeSpan firstRetryDelay)
    {
        Attempts++;
        LastError = error.Length > 1000 ? error[..1000] : error;
        if (Attempts >= maxAttempts)
        {
            Status = OutboxStatus.Failed;
            NextAttemptAt = null;
        }
        else
        {
            NextAttemptAt = now + firstRetryDelay * Math.Pow(2, Attempts - 1);
        }
    }

    /// <summary>A dispatcher asks for another round of tries after a failure (e.g. once the SMS account is fixed).</summary>
    public void Retry(DateTime now)
    {
        if (Status != OutboxStatus.Failed)
        {
            throw new Common.RuleViolationException($"Only failed messages can be retried; this one is {Status}.");
        }
        Status = OutboxStatus.Pending;
        Attempts = 0;
        NextAttemptAt = now;
    }
}
