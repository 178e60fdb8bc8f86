using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace DriverOffers.Server.Features.Outbox;

/// <summary>E-mail through any SMTP server with MailKit; one connection per message keeps failures independent.</summary>
public sealed class SmtpEmailSender(IOptions<MessagingOptions> options) : IMessageSender
{
    private readonly SmtpOptions _o = options.Value.Smtp;

    public string Channel => OutboxChannel.Email;

    public async Task SendAsync(OutboxMessage message, CancellationToken ct)
    {
        if (!MailboxAddress.TryParse(message.Recipient, out var to))
        {
            throw new MessageSendException($"'{message.Recipient}' is not an e-mail address.");
        }
        var mail = new MimeMessage();
        mail.From.Add(new MailboxAddress(_o.FromName, _o.From));
        mail.To.Add(to);
        mail.Subject = message.Subject ?? "Driver Offers";
        mail.Body = new TextPart("plain") { Text = OutboxText.WithLink(message) };

        using var smtp = new SmtpClient();
        try
        {
            await smtp.ConnectAsync(_o.Host!, _o.Port, Security(_o.Security), ct);
            if (!string.IsNullOrEmpty(_o.Username))
            {
                await smtp.AuthenticateAsync(_o.Username, _o.Password ?? "", ct);
            }
            await smtp.SendAsync(mail, ct);
            await smtp.DisconnectAsync(quit: true, ct);
        }
        catch (Exception e) when (e is SmtpCommandException or SmtpProtocolException or AuthenticationException
                                      or SslHandshakeException or IOException or System.Net.Sockets.SocketException)
        {
            throw new MessageSendException($"SMTP {_o.Host}:{_o.Port}: {e.Message}", e);
        }
    }

    private static SecureSocketOptions Security(string value) => value.ToLowerInvariant() switch
    {
        "none" => SecureSocketOptions.None,
        "starttls" => SecureSocketOptions.StartTls,
        "tls" or "ssl" => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.Auto,
    };
}
