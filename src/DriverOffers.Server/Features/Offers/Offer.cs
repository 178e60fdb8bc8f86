using DriverOffers.Server.Common;
using DriverOffers.Server.Features.Chat;
using DriverOffers.Server.Features.Proposals;

namespace DriverOffers.Server.Features.Offers;

public static class OfferStatus
{
    public const string Active = "active";
    public const string Completed = "completed";
    public const string Cancelled = "cancelled";
}

/// <summary>The load details a dispatcher enters; validated by the use case before they reach the entity.</summary>
public sealed record OfferDetails(
    string PickupLocation, double? PickupLat, double? PickupLon,
    string DeliveryLocation, double? DeliveryLat, double? DeliveryLon,
    DateTime? PickupWindowStart, DateTime? PickupWindowEnd,
    DateTime? DeliveryWindowStart, DateTime? DeliveryWindowEnd,
    decimal? WeightLbs, string? Dimensions, decimal? DistanceMiles, decimal ProposedRate, string? Notes);

/// <summary>A load offered to one or more drivers. Active until one driver is booked or it is cancelled.</summary>
public sealed class Offer
{
    private Offer() { }

    public int Id { get; private set; }
    public int CreatedBy { get; private set; }
    public string PickupLocation { get; private set; } = "";
    public double? PickupLat { get; private set; }
    public double? PickupLon { get; private set; }
    public string DeliveryLocation { get; private set; } = "";
    public double? DeliveryLat { get; private set; }
    public double? DeliveryLon { get; private set; }
    public DateTime? PickupWindowStart { get; private set; }
    public DateTime? PickupWindowEnd { get; private set; }
    public DateTime? DeliveryWindowStart { get; private set; }
    public DateTime? DeliveryWindowEnd { get; private set; }
    public decimal? WeightLbs { get; private set; }
    public string? Dimensions { get; private set; }
    public decimal? DistanceMiles { get; private set; }
    public decimal ProposedRate { get; private set; }
    public string Status { get; private set; } = OfferStatus.Active;
    public string? Notes { get; private set; }
    public bool AutoBook { get; private set; }
    public DateTime? ExpiresAt { get; private set; }
    /// <summary>When the passing of <see cref="ExpiresAt"/> was told to everyone concerned (<see cref="ExpireOffers"/>);
    /// null while that is still to do. Stored, so a restart or a second server never tells it twice.</summary>
    public DateTime? ExpiryAnnouncedAt { get; private set; }
    public int? BookedDriverId { get; private set; }
    public decimal? BookedRate { get; private set; }
    public DateTime? BookedAt { get; private set; }
    public DateTime CreatedAt { get; private set; }
    public DateTime UpdatedAt { get; private set; }
    /// <summary>Optimistic concurrency token: every state change bumps it, so two racing writers can't both win.</summary>
    public int Version { get; private set; }

    public static Offer Create(int createdBy, OfferDetails details, bool autoBook, DateTime? expiresAt, DateTime now)
    {
        if (expiresAt is { } e && e <= now)
        {
            throw new RuleViolationException("expires_at must be in the future.");
        }
        var offer = new Offer { CreatedBy = createdBy, AutoBook = autoBook, ExpiresAt = expiresAt, CreatedAt = now };
        offer.Apply(details, now);
        return offer;
    }

    public bool IsExpired(DateTime now) => Status == OfferStatus.Active && ExpiresAt is { } e && e <= now;

    /// <summary>The offer expired and nobody was told yet.</summary>
    public bool IsExpiryDue(DateTime now) => IsExpired(now) && ExpiryAnnouncedAt is null;

    /// <summary>
    /// Records that the expiry is being told. It bumps the version: of several servers announcing at once only the one
    /// whose save still matches the version wins, and an edit or booking racing the announcement is retried on fresh state.
    /// </summary>
    public void AnnounceExpiry(DateTime now)
    {
        EnsureActive("announced as expired");
        if (ExpiryAnnouncedAt is not null)
        {
            throw new RuleViolationException("This offer's expiry was already announced.");
        }
        if (!IsExpired(now))
        {
            throw new RuleViolationException("This offer has not expired yet.");
        }
        ExpiryAnnouncedAt = now;
        Touch(now);
    }

    /// <summary>Drivers may respond and the dispatcher may book only while this holds.</summary>
    public bool IsOpen(DateTime now) => Status == OfferStatus.Active && !IsExpired(now);

    public void Edit(OfferDetails details, bool autoBook, DateTime? expiresAt, DateTime now)
    {
        EnsureActive("edited");
        if (expiresAt is { } e && e <= now && expiresAt != ExpiresAt)
        {
            throw new RuleViolationException("expires_at must be in the future.");
        }
        if (expiresAt != ExpiresAt)
        {
            // A new expiry (later, or none) reopens the offer, so its passing is news again.
            ExpiryAnnouncedAt = null;
        }
        AutoBook = autoBook;
        ExpiresAt = expiresAt;
        Apply(details, now);
    }

    public void Cancel(DateTime now)
    {
        EnsureActive("cancelled");
        Status = OfferStatus.Cancelled;
        Touch(now);
    }

    /// <summary>Books the driver of <paramref name="proposal"/>. An accepted proposal books at its agreed rate;
    /// a driver's counter is accepted at the counter rate. With <paramref name="expectedRate"/> (the rate the dispatcher
    /// saw) a driver who changed their answer meanwhile is not booked at a rate nobody agreed to.</summary>
    public void Book(Proposal proposal, DateTime now, decimal? expectedRate = null)
    {
        if (proposal.OfferId != Id)
        {
            throw new RuleViolationException("That proposal belongs to another offer.");
        }
        EnsureOpen("booked", now);
        var rate = proposal.Status switch
        {
            ProposalStatus.Accepted => proposal.AgreedRate ?? ProposedRate,
            ProposalStatus.CounterOffered when proposal.DriverProposedRate is { } counter => counter,
            _ => throw new RuleViolationException($"Only a driver who accepted (or countered) can be booked; this proposal is '{proposal.Status}'."),
        };
        if (expectedRate is { } expected && expected != rate)
        {
            throw new RuleViolationException(
                $"This driver's rate is now {ChatLog.Money(rate)}, not {ChatLog.Money(expected)}: their answer changed. Nothing was booked; check it and book again.");
        }
        proposal.MarkBooked(rate, now);
        Status = OfferStatus.Completed;
        BookedDriverId = proposal.DriverId;
        BookedRate = rate;
        BookedAt = now;
        Touch(now);
    }

    /// <summary>The driver opened the offer; true if that changed their proposal (only the first view of an open offer
    /// does). Opening a closed offer is reading history: no "viewed" after "booked by another driver".</summary>
    public bool RecordView(Proposal proposal, DateTime now) => WouldRecordView(proposal, now) && proposal.MarkViewed(now);

    /// <summary>Only a driver's first view of an open offer is recorded; a proposal never goes back to unviewed.</summary>
    public bool WouldRecordView(Proposal proposal, DateTime now) => IsOpen(now) && proposal.Status == ProposalStatus.Sent;

    /// <summary>Called for any driver response so that a response racing a booking or cancel loses cleanly.</summary>
    public void RecordResponse(DateTime now)
    {
        EnsureOpen("answered", now);
        Touch(now);
    }

    /// <summary>Sending to more drivers: only while open, and it bumps the version so a send racing a booking or
    /// cancel loses instead of inviting drivers to a closed offer.</summary>
    public void RecordInvitations(DateTime now)
    {
        EnsureOpen("sent to more drivers", now);
        Touch(now);
    }

    public void EnsureOpen(string action, DateTime now)
    {
        EnsureActive(action);
        if (IsExpired(now))
        {
            throw new RuleViolationException($"This offer expired on {ChatLog.Moment(ExpiresAt!.Value)} and can no longer be {action}.");
        }
    }

    private void EnsureActive(string action)
    {
        if (Status != OfferStatus.Active)
        {
            throw new RuleViolationException($"This offer is {Status} and can no longer be {action}.");
        }
    }

    private void Apply(OfferDetails d, DateTime now)
    {
        PickupLocation = d.PickupLocation;
        PickupLat = d.PickupLat;
        PickupLon = d.PickupLon;
        DeliveryLocation = d.DeliveryLocation;
        DeliveryLat = d.DeliveryLat;
        DeliveryLon = d.DeliveryLon;
        PickupWindowStart = d.PickupWindowStart;
        PickupWindowEnd = d.PickupWindowEnd;
        DeliveryWindowStart = d.DeliveryWindowStart;
        DeliveryWindowEnd = d.DeliveryWindowEnd;
        WeightLbs = d.WeightLbs;
        Dimensions = d.Dimensions;
        DistanceMiles = d.DistanceMiles;
        ProposedRate = d.ProposedRate;
        Notes = d.Notes;
        Touch(now);
    }

    private void Touch(DateTime now)
    {
        UpdatedAt = now;
        Version++;
    }
}
