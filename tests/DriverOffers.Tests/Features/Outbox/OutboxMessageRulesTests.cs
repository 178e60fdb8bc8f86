using DriverOffers.Server.Common;
using DriverOffers.Server.Features.Outbox;

namespace DriverOffers.Tests.Features.Outbox;

public sealed class OutboxMessageRulesTests
{
    private static readonly DateTime Now = new(2026, 11, 25, 12, 0, 0, DateTimeKind.Utc);

    private static OutboxMessage NewSms() => OutboxMessage.Create(OutboxChannel.Sms, "+17795132475", 107, 1, null, "body", null, Now);

    [Fact]
    public void A_new_message_is_pending_and_due_at_once()
    {
        var m = NewSms();
        Assert.Equal(OutboxStatus.Pending, m.Status);
        Assert.Equal(Now, m.NextAttemptAt);
    }

    [Fact]
    public void Retries_back_off_exponentially_then_end_failed_with_the_last_error()
    {
        var m = NewSms();
        var delay = TimeSpan.FromSeconds(10);

        m.MarkFailed("503", Now, maxAttempts: 4, delay);
        Assert.Equal(Now.AddSeconds(10), m.NextAttemptAt);
        m.MarkFailed("503", Now, 4, delay);
        Assert.Equal(Now.AddSeconds(20), m.NextAttemptAt);
        m.MarkFailed("503", Now, 4, delay);
        Assert.Equal(Now.AddSeconds(40), m.NextAttemptAt);
        Assert.Equal(OutboxStatus.Pending, m.Status);
        m.MarkFailed("400 invalid number", Now, 4, delay);

        Assert.Equal(OutboxStatus.Failed, m.Status);
        Assert.Null(m.NextAttemptAt);
        Assert.Equal(4, m.Attempts);
        Assert.Equal("400 invalid number", m.LastError);
    }

    [Fact]
    public void Sent_clears_the_error_and_the_schedule()
    {
        var m = NewSms();
        m.MarkFailed("timeout", Now, 5, TimeSpan.FromSeconds(1));
        m.MarkSent(Now.AddSeconds(2));
        Assert.Equal(OutboxStatus.Sent, m.Status);
        Assert.Null(m.LastError);
        Assert.Null(m.NextAttemptAt);
        Assert.Equal(2, m.Attempts);
    }

    [Fact]
    public void Only_a_failed_message_can_be_retried_and_it_gets_a_fresh_round()
    {
        var m = NewSms();
        Assert.Throws<RuleViolationException>(() => m.Retry(Now));
        m.MarkFailed("x", Now, 1, TimeSpan.FromSeconds(1));
        m.Retry(Now.AddMinutes(1));
        Assert.Equal(OutboxStatus.Pending, m.Status);
        Assert.Equal(0, m.Attempts);
        Assert.Equal(Now.AddMinutes(1), m.NextAttemptAt);
    }

    [Theory]
    [InlineData("(779) 513-2475", "+17795132475")]
    [InlineData("7795132475", "+17795132475")]
    [InlineData("+1 779-513-2475", "+17795132475")]
    [InlineData("1.779.513.2475", "+17795132475")]
    [InlineData("+44 20 7946 0958", "+442079460958")]
    [InlineData("513-2475", null)]
    [InlineData("call me", null)]
    [InlineData("", null)]
    public void Phone_numbers_compare_in_any_format(string text, string? normalized) =>
        Assert.Equal(normalized, PhoneNumber.Normalize(text));
}
