namespace DriverOffers.Server.Features.Outbox;

/// <summary>Configuration section <c>Messaging</c>. A channel with no sender configured stays in the outbox for dispatchers to copy.</summary>
public sealed class MessagingOptions
{
    public const string Section = "Messaging";

    /// <summary>How often the delivery service looks for due messages.</summary>
    public double PollSeconds { get; set; } = 2;
    /// <summary>Tries before a message is shown as failed.</summary>
    public int MaxAttempts { get; set; } = 5;
    /// <summary>Wait before the first retry; each later retry waits twice as long as the one before.</summary>
    public double RetryBaseSeconds { get; set; } = 10;
    /// <summary>Longest a single send may take before it counts as failed.</summary>
    public double SendTimeoutSeconds { get; set; } = 30;

    public SmtpOptions Smtp { get; set; } = new();
    public SmsOptions Sms { get; set; } = new();
}

/// <summary>E-mail over SMTP (MailKit). On when <c>Host</c> is set.</summary>
public sealed class SmtpOptions
{
    public string? Host { get; set; }
    public int Port { get; set; } = 587;
    /// <summary><c>auto</c> (STARTTLS when offered, TLS on 465), <c>starttls</c>, <c>tls</c> or <c>none</c> (local relays only).</summary>
    public string Security { get; set; } = "auto";
    public string? Username { get; set; }
    public string? Password { get; set; }
    public string From { get; set; } = "";
    public string FromName { get; set; } = "Driver Offers";
}

/// <summary>
/// SMS through a Twilio-compatible HTTP API (<c>POST {BaseUrl}/2010-04-01/Accounts/{AccountSid}/Messages.json</c>,
/// form fields To/From/Body, HTTP basic auth). On when <c>AccountSid</c> is set.
/// </summary>
public sealed class SmsOptions
{
    public string BaseUrl { get; set; } = "https://api.twilio.com";
    public string? AccountSid { get; set; }
    public string? AuthToken { get; set; }
    /// <summary>The sending number (E.164) or a messaging service SID (<c>MG…</c>).</summary>
    public string From { get; set; } = "";
}
