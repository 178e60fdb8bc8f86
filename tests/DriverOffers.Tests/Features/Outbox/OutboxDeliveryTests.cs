using System.Net;
using DriverOffers.Server.Features.Outbox;
using DriverOffers.Tests.Infrastructure;
using static DriverOffers.Tests.Infrastructure.DriverData;

namespace DriverOffers.Tests.Features.Outbox;

/// <summary>The real senders against fake providers on loopback ports: each fails twice per recipient, then delivers.</summary>
public sealed class OutboxDeliveryTests(OutboxDeliveryTests.Fixture server) : IClassFixture<OutboxDeliveryTests.Fixture>
{
    public sealed class Fixture : ServerFixture
    {
        public FakeSmtpServer Smtp { get; } = new() { FailuresPerRecipient = 2 };
        public FakeSmsProvider Sms { get; } = new() { FailuresPerRecipient = 2 };

        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Messaging:PollSeconds"] = "0.05",
            ["Messaging:RetryBaseSeconds"] = "0.05",
            ["Messaging:MaxAttempts"] = "4",
            ["Messaging:Smtp:Host"] = "127.0.0.1",
            ["Messaging:Smtp:Port"] = Smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Messaging:Smtp:Security"] = "none",
            ["Messaging:Smtp:From"] = "dispatch@example.com",
            ["Messaging:Sms:BaseUrl"] = Sms.BaseUrl,
            ["Messaging:Sms:AccountSid"] = FakeSmsProvider.AccountSid,
            ["Messaging:Sms:AuthToken"] = FakeSmsProvider.AuthToken,
            ["Messaging:Sms:From"] = "+13125550100",
            ["Auth:PhoneCodeRequestsPerHourPerNumber"] = "1000",
            ["Auth:PhoneCodeRequestsPerHourPerNumberPerIp"] = "1000",
            ["Auth:PhoneCodeRequestsPerHourPerIp"] = "1000",
        };

        public override async Task InitializeAsync()
        {
            Smtp.Start();
            await Sms.StartAsync();
            await base.InitializeAsync();
        }

        public override async Task DisposeAsync()
        {
            await base.DisposeAsync();
            await Smtp.DisposeAsync();
            await Sms.DisposeAsync();
        }
    }

    [Fact]
    public async Task Sign_in_code_reaches_the_drivers_phone_by_sms_after_retries_and_signs_them_in()
    {
        using var anon = server.Client();
        await anon.Post("/api/driver/auth/request-code", new { phone = NweePhone });

        await Eventually(() => server.Sms.Delivered.Any(m => m.To == "+17795132475"), "the SMS provider accepting the code");

        var sms = server.Sms.Delivered.First(m => m.To == "+17795132475");
        Assert.Equal("+13125550100", sms.From);
        Assert.Equal(3, server.Sms.TriesFor("+17795132475"));
        var row = server.Scoped(db => db.Outbox.Where(m => m.TruckId == Nwee && m.OfferId == null).OrderBy(m => m.Id).Last());
        await Eventually(() => server.Outbox(row.Id).Status == OutboxStatus.Sent, "the row marked sent");
        Assert.Equal(3, server.Outbox(row.Id).Attempts);
        var verify = await anon.Post("/api/driver/auth/verify-code", new { phone = NweePhone, code = sms.Body[..6] });
        Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
    }

    [Fact]
    public async Task Offer_link_by_email_is_delivered_over_smtp_after_retries()
    {
        var offerId = await server.AddOffer(18);
        var id = await server.AddOutbox(OutboxChannel.Email, "nwee.ler@example.com", Nwee, offerId,
            "Carl Banks sent you a load: Rockford, IL to Dallas, TX.", "http://localhost/driver/link/abc123");

        await Eventually(() => server.Outbox(id).Status == OutboxStatus.Sent, "the e-mail marked sent");

        var mail = Assert.Single(server.Smtp.Delivered, m => m.To == "nwee.ler@example.com");
        Assert.Contains("Subject: Load offer", mail.Data, StringComparison.Ordinal);
        Assert.Contains("http://localhost/driver/link/abc123", mail.Data, StringComparison.Ordinal);
        Assert.Equal(3, server.Smtp.TriesFor("nwee.ler@example.com"));
        Assert.Equal(3, server.Outbox(id).Attempts);
        Assert.Null(server.Outbox(id).LastError);
    }

    [Fact]
    public async Task A_message_the_provider_keeps_refusing_ends_failed_with_its_error_and_can_be_retried()
    {
        var offerId = await server.AddOffer(18);
        var id = await server.AddOutbox(OutboxChannel.Sms, "(312) 555-0000", 120, offerId, "Load offer", "http://localhost/driver/link/zzz");

        await Eventually(() => server.Outbox(id).Status == OutboxStatus.Failed, "the row marked failed");

        Assert.Equal(4, server.Sms.TriesFor("+13125550000"));
        using var carl = await server.LoginAs("carl.banks");
        var listed = (await (await carl.GetAsync($"/api/outbox?offer_id={offerId}")).Body()).EnumerateArray().Single();
        Assert.Equal("failed", listed.GetProperty("status").GetString());
        Assert.Equal(4, listed.GetProperty("attempts").GetInt32());
        Assert.Contains("400", listed.GetProperty("last_error").GetString(), StringComparison.Ordinal);
        Assert.Equal("automatic", listed.GetProperty("delivery").GetString());

        var retry = await carl.PostAsync($"/api/outbox/{id}/retry", null);

        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        await Eventually(() => server.Sms.TriesFor("+13125550000") > 4, "another round of tries");
        await Eventually(() => server.Outbox(id).Status == OutboxStatus.Failed, "failed again");
    }

    [Fact]
    public async Task Nothing_is_sent_twice_when_it_succeeded()
    {
        var offerId = await server.AddOffer(18);
        var id = await server.AddOutbox(OutboxChannel.Sms, "(615) 930-4098", 122, offerId, "Load offer http://x/driver/link/q", "http://x/driver/link/q");

        await Eventually(() => server.Outbox(id).Status == OutboxStatus.Sent, "sent");
        await Task.Delay(300);

        Assert.Single(server.Sms.Delivered, m => m.To == "+16159304098");
        Assert.Equal("Load offer http://x/driver/link/q", server.Sms.Delivered.Single(m => m.To == "+16159304098").Body);
    }
}
