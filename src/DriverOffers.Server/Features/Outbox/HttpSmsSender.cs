using System.Net.Http.Headers;
using System.Text;
using DriverOffers.Server.Common;
using Microsoft.Extensions.Options;

namespace DriverOffers.Server.Features.Outbox;

/// <summary>SMS through a Twilio-compatible HTTP API: a form POST with basic auth; any non-2xx answer is a failure.</summary>
public sealed class HttpSmsSender(IHttpClientFactory clients, IOptions<MessagingOptions> options) : IMessageSender
{
    private readonly SmsOptions _o = options.Value.Sms;

    public string Channel => OutboxChannel.Sms;

    public async Task SendAsync(OutboxMessage message, CancellationToken ct)
    {
        var to = PhoneNumber.Normalize(message.Recipient)
            ?? throw new MessageSendException($"'{message.Recipient}' is not a phone number that can receive text messages.");
        var url = $"{_o.BaseUrl.TrimEnd('/')}/2010-04-01/Accounts/{Uri.EscapeDataString(_o.AccountSid!)}/Messages.json";
        var from = _o.From.StartsWith("MG", StringComparison.Ordinal) ? "MessagingServiceSid" : "From";
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["To"] = to,
                [from] = _o.From,
                ["Body"] = OutboxText.WithLink(message),
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_o.AccountSid}:{_o.AuthToken}")));
        try
        {
            using var http = clients.CreateClient(nameof(HttpSmsSender));
            using var response = await http.SendAsync(request, ct);
            if (!response.IsSuccessStatusCode)
            {
                var body = await response.Content.ReadAsStringAsync(ct);
                throw new MessageSendException($"SMS provider answered {(int)response.StatusCode}: {(body.Length > 300 ? body[..300] : body)}");
            }
        }
        catch (HttpRequestException e)
        {
            throw new MessageSendException($"SMS provider unreachable: {e.Message}", e);
        }
    }
}

internal static class OutboxText
{
    /// <summary>The body, with the link appended when the body doesn't already carry it.</summary>
    public static string WithLink(OutboxMessage m) =>
        m.Link is null || m.Body.Contains(m.Link, StringComparison.Ordinal) ? m.Body : $"{m.Body}\n{m.Link}";
}
