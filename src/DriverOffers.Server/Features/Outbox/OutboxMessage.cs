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

/// <summary>A message to a driver (offer link, sign-in code), kept until a sender delivers it.</summary>
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

    /// <summary>Records a failed try; retries back off exponentially and stop as <c>failed</c> after <paramref name="maxAttempts"/>.</summary>
    public void MarkFailed(string error, DateTime now, int maxAttempts)
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
            NextAttemptAt = now + TimeSpan.FromSeconds(Math.Pow(2, Attempts) * 5);
        }
    }
}
