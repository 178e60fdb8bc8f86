using DriverOffers.Server.Common;
using DriverOffers.Server.Features.Drivers;
using DriverOffers.Server.Features.Offers;
using DriverOffers.Server.Features.Proposals;

namespace DriverOffers.Tests.Features.Offers;

/// <summary>Lifecycle rules on the entities, without a host.</summary>
public sealed class OfferRulesTests
{
    private static readonly DateTime Now = new(2026, 11, 25, 12, 0, 0, DateTimeKind.Utc);

    private static OfferDetails Details(decimal rate = 1500m) => new(
        "Rockford, IL", 42.27, -89.09, "Smyrna, TN", 35.98, -86.52,
        null, null, null, null, 12000m, "48x40", 520m, rate, null);

    [Fact]
    public void Cancelled_offer_stays_cancelled()
    {
        var offer = Offer.Create(18, Details(), autoBook: false, expiresAt: null, Now);
        offer.Cancel(Now);
        Assert.Throws<RuleViolationException>(() => offer.Cancel(Now));
        Assert.Throws<RuleViolationException>(() => offer.Edit(Details(), false, null, Now));
        Assert.Equal(OfferStatus.Cancelled, offer.Status);
    }

    [Fact]
    public void Opening_a_closed_offer_records_no_view()
    {
        var open = Offer.Create(18, Details(), autoBook: false, expiresAt: null, Now);
        var cancelled = Offer.Create(18, Details(), autoBook: false, expiresAt: null, Now);
        cancelled.Cancel(Now);
        var seen = Proposal.Send(open.Id, 107, Now);
        var unseen = Proposal.Send(cancelled.Id, 107, Now);

        Assert.True(open.RecordView(seen, Now));
        Assert.False(open.RecordView(seen, Now));
        Assert.False(cancelled.RecordView(unseen, Now));
        Assert.Equal((ProposalStatus.Viewed, ProposalStatus.Sent), (seen.Status, unseen.Status));
    }

    [Fact]
    public void Booking_needs_an_accepted_or_countered_proposal()
    {
        var offer = Offer.Create(18, Details(), autoBook: false, expiresAt: null, Now);
        var proposal = Proposal.Send(offer.Id, 107, Now);
        Assert.Throws<RuleViolationException>(() => offer.Book(proposal, Now));
        proposal.Accept(offer.ProposedRate, Now);
        offer.Book(proposal, Now);
        Assert.Equal(OfferStatus.Completed, offer.Status);
        Assert.Equal(107, offer.BookedDriverId);
        Assert.Equal(1500m, offer.BookedRate);
    }

    [Fact]
    public void Accepting_a_rate_that_is_no_longer_on_the_table_is_refused_and_changes_nothing()
    {
        var offer = Offer.Create(18, Details(1200m), autoBook: false, expiresAt: null, Now);
        var proposal = Proposal.Send(offer.Id, 107, Now);
        Assert.Throws<RuleViolationException>(() => proposal.Accept(offer.ProposedRate, Now, expectedRate: 1500m));
        Assert.Equal((ProposalStatus.Sent, (decimal?)null), (proposal.Status, proposal.AgreedRate));

        proposal.Counter(2000m, Now);
        proposal.CounterBack(1800m, Now);
        Assert.Throws<RuleViolationException>(() => proposal.Accept(offer.ProposedRate, Now, expectedRate: 1200m));
        proposal.Accept(offer.ProposedRate, Now, expectedRate: 1800m);
        Assert.Equal((ProposalStatus.Accepted, (decimal?)1800m), (proposal.Status, proposal.AgreedRate));
    }

    [Fact]
    public void Booking_at_a_rate_the_driver_no_longer_offers_books_nobody()
    {
        var offer = Offer.Create(18, Details(), autoBook: false, expiresAt: null, Now);
        var proposal = Proposal.Send(offer.Id, 107, Now);
        proposal.Accept(offer.ProposedRate, Now);
        proposal.Counter(5000m, Now);

        var refused = Assert.Throws<RuleViolationException>(() => offer.Book(proposal, Now, expectedRate: 1500m));

        Assert.Contains("$5,000.00, not $1,500.00", refused.Message, StringComparison.Ordinal);
        Assert.Equal(OfferStatus.Active, offer.Status);
        Assert.Equal(ProposalStatus.CounterOffered, proposal.Status);
        offer.Book(proposal, Now, expectedRate: 5000m);
        Assert.Equal(5000m, offer.BookedRate);
    }

    [Fact]
    public void Accepting_a_counter_books_at_the_counter_rate()
    {
        var offer = Offer.Create(18, Details(), autoBook: false, expiresAt: null, Now);
        var proposal = Proposal.Send(offer.Id, 107, Now);
        proposal.Counter(1700m, Now);
        offer.Book(proposal, Now);
        Assert.Equal(1700m, offer.BookedRate);
        Assert.Equal(ProposalStatus.Accepted, proposal.Status);
    }

    [Fact]
    public void Counter_needs_a_positive_rate()
    {
        var proposal = Proposal.Send(1, 107, Now);
        Assert.Throws<RuleViolationException>(() => proposal.Counter(0m, Now));
        Assert.Throws<RuleViolationException>(() => proposal.Counter(-5m, Now));
        Assert.Equal(ProposalStatus.Sent, proposal.Status);
    }

    [Fact]
    public void Expired_offer_can_not_be_booked()
    {
        var offer = Offer.Create(18, Details(), autoBook: false, expiresAt: Now.AddHours(1), Now);
        var proposal = Proposal.Send(offer.Id, 107, Now);
        proposal.Accept(offer.ProposedRate, Now);
        var refused = Assert.Throws<RuleViolationException>(() => offer.Book(proposal, Now.AddHours(2)));
        Assert.True(offer.IsExpired(Now.AddHours(2)));
        // Read by people in any time zone: spelled out, with its zone.
        Assert.Equal("This offer expired on Nov 25, 2026 13:00:00 UTC and can no longer be booked.", refused.Message);
    }

    [Fact]
    public void Driver_accepts_the_dispatchers_counter_back_rate()
    {
        var proposal = Proposal.Send(1, 107, Now);
        proposal.Counter(1800m, Now);
        proposal.CounterBack(1650m, Now);
        proposal.Accept(1500m, Now);
        Assert.Equal(1650m, proposal.AgreedRate);
    }

    [Fact]
    public void Sending_to_more_drivers_needs_an_open_offer_and_bumps_the_version()
    {
        var offer = Offer.Create(18, Details(), autoBook: false, expiresAt: Now.AddHours(1), Now);
        var version = offer.Version;
        offer.RecordInvitations(Now);
        Assert.Equal(version + 1, offer.Version);
        Assert.Throws<RuleViolationException>(() => offer.RecordInvitations(Now.AddHours(2)));
        offer.Cancel(Now);
        Assert.Throws<RuleViolationException>(() => offer.RecordInvitations(Now));
    }

    [Fact]
    public void Only_active_trucks_can_be_sent_an_offer()
    {
        var inactive = new Truck(9, "9", "Off Duty", "Idle Driver", null, null, null, null, null, null, null, null, isActive: false, Now);
        var active = new Truck(10, "10", "Available", "Ready Driver", null, null, null, null, null, null, null, null, isActive: true, Now);
        Assert.Throws<RuleViolationException>(() => Proposal.Send(1, inactive, Now));
        Assert.Equal(ProposalStatus.Sent, Proposal.Send(1, active, Now).Status);
    }

    [Fact]
    public void A_response_racing_a_booking_loses()
    {
        var offer = Offer.Create(18, Details(), autoBook: true, expiresAt: null, Now);
        var first = Proposal.Send(offer.Id, 107, Now);
        first.Accept(offer.ProposedRate, Now);
        offer.Book(first, Now);
        Assert.Throws<RuleViolationException>(() => offer.RecordResponse(Now));
    }

    [Fact]
    public void Expiry_is_due_once_it_passed_and_until_it_was_announced()
    {
        var offer = Offer.Create(18, Details(), autoBook: false, expiresAt: Now.AddHours(1), Now);
        Assert.False(offer.IsExpiryDue(Now.AddMinutes(59)));
        Assert.True(offer.IsExpiryDue(Now.AddHours(1)));
        var version = offer.Version;

        offer.AnnounceExpiry(Now.AddHours(1));

        Assert.False(offer.IsExpiryDue(Now.AddHours(2)));
        Assert.Equal(Now.AddHours(1), offer.ExpiryAnnouncedAt);
        Assert.Equal(version + 1, offer.Version);
        Assert.Equal(OfferStatus.Active, offer.Status);
        Assert.True(offer.IsExpired(Now.AddHours(2)));
    }

    [Fact]
    public void Expiry_can_not_be_announced_early_or_twice()
    {
        var offer = Offer.Create(18, Details(), autoBook: false, expiresAt: Now.AddHours(1), Now);
        Assert.Throws<RuleViolationException>(() => offer.AnnounceExpiry(Now));
        offer.AnnounceExpiry(Now.AddHours(2));
        var version = offer.Version;
        Assert.Throws<RuleViolationException>(() => offer.AnnounceExpiry(Now.AddHours(3)));
        Assert.Equal(version, offer.Version);
    }

    [Fact]
    public void An_offer_without_expiry_or_booked_or_cancelled_before_it_has_no_expiry_to_announce()
    {
        var open = Offer.Create(18, Details(), autoBook: false, expiresAt: null, Now);
        var booked = Offer.Create(18, Details(), autoBook: false, expiresAt: Now.AddHours(1), Now);
        var proposal = Proposal.Send(booked.Id, 107, Now);
        proposal.Accept(booked.ProposedRate, Now);
        booked.Book(proposal, Now);
        var cancelled = Offer.Create(18, Details(), autoBook: false, expiresAt: Now.AddHours(1), Now);
        cancelled.Cancel(Now);

        foreach (var offer in new[] { open, booked, cancelled })
        {
            Assert.False(offer.IsExpiryDue(Now.AddDays(1)));
            Assert.Throws<RuleViolationException>(() => offer.AnnounceExpiry(Now.AddDays(1)));
        }
    }

    [Fact]
    public void A_new_expiry_after_the_announcement_re_arms_it_and_an_unchanged_one_does_not()
    {
        var offer = Offer.Create(18, Details(), autoBook: false, expiresAt: Now.AddHours(1), Now);
        offer.AnnounceExpiry(Now.AddHours(1));

        offer.Edit(Details(1600m), autoBook: false, expiresAt: Now.AddHours(1), Now.AddHours(2));
        Assert.NotNull(offer.ExpiryAnnouncedAt);

        offer.Edit(Details(1600m), autoBook: false, expiresAt: Now.AddHours(3), Now.AddHours(2));
        Assert.Null(offer.ExpiryAnnouncedAt);
        Assert.True(offer.IsOpen(Now.AddHours(2)));
        Assert.True(offer.IsExpiryDue(Now.AddHours(3)));

        offer.AnnounceExpiry(Now.AddHours(3));
        offer.Edit(Details(1600m), autoBook: false, expiresAt: null, Now.AddHours(4));
        Assert.Null(offer.ExpiryAnnouncedAt);
        Assert.False(offer.IsExpiryDue(Now.AddDays(9)));
    }

    [Fact]
    public void An_expired_offer_can_not_be_edited_to_another_past_expiry()
    {
        var offer = Offer.Create(18, Details(), autoBook: false, expiresAt: Now.AddHours(1), Now);
        offer.AnnounceExpiry(Now.AddHours(2));
        Assert.Throws<RuleViolationException>(() => offer.Edit(Details(), autoBook: false, expiresAt: Now.AddMinutes(90), Now.AddHours(2)));
        Assert.NotNull(offer.ExpiryAnnouncedAt);
    }
}
