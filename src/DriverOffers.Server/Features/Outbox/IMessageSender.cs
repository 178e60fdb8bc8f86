namespace DriverOffers.Server.Features.Outbox;

/// <summary>
/// Delivers outbox messages of one channel (<c>sms</c> or <c>email</c>). Throws when the message was not delivered;
/// the delivery service then retries with backoff. Registered only when configured: a channel without a sender is
/// "outbox only" and its messages wait for a dispatcher to copy them.
/// </summary>
public interface IMessageSender
{
    string Channel { get; }

    Task SendAsync(OutboxMessage message, CancellationToken ct);
}

/// <summary>A provider refused or failed a message; the text is shown to dispatchers as the outbox row's last error.</summary>
public sealed class MessageSendException(string message, Exception? inner = null) : Exception(message, inner)
{
}
