using System.Globalization;
using DriverOffers.Server.Common;
using DriverOffers.Server.Features.Chat;
using DriverOffers.Server.Features.Drivers;

namespace DriverOffers.Server.Features.Proposals;

public static class ProposalStatus
{
    public const string Sent = "sent";
    public const string Viewed = "viewed";
    public const string Accepted = "accepted";
    public const string Rejected = "rejected";
    public const string CounterOffered = "counter_offered";
}

/// <summary>
/// One invited driver's side of an offer: <c>sent → viewed → accepted | rejected | counter_offered</c>.
/// The offer's openness (active, not expired) is checked by the caller through <c>Offer.RecordResponse</c>.
/// </summary>
public sealed class Proposal
{
    public const decimal MaxRate = 1_000_000m;

    private Proposal() { }

    public static Proposal Send(int offerId, int driverId, DateTime now) =>
        new() { OfferId = offerId, DriverId = driverId, Status = ProposalStatus.Sent, CreatedAt = now, UpdatedAt = now };

    /// <summary>Invites the driver of <paramref name="truck"/>; only active trucks (<c>isActive=1</c>) can be sent offers.</summary>
    public static Proposal Send(int offerId, Truck truck, DateTime now) => Send(offerId, truck.Id, truck.TruckNumber, truck.IsActive, now);

    /// <summary>The same from the truck's id, number and active flag (what an invitation reads of a truck).</summary>
    public static Proposal Send(int offerId, int truckId, string? truckNumber, bool truckIsActive, DateTime now) =>
        truckIsActive
            ? Send(offerId, truckId, now)
            : throw new RuleViolationException($"Truck {truckNumber ?? truckId.ToString(CultureInfo.InvariantCulture)} is not active and can't be sent offers.");

    public int Id { get; private set; }
    public int OfferId { get; private set; }
    public int DriverId { get; private set; }
    public string Status { get; private set; } = ProposalStatus.Sent;
    /// <summary>The driver's latest counter rate.</summary>
    public decimal? DriverProposedRate { get; private set; }
    /// <summary>The dispatcher's latest counter back to the driver, if any.</summary>
    public decimal? DispatcherProposedRate { get; private set; }
    /// <summary>The rate both sides agreed on when the proposal was accepted.</summary>
    public decimal? AgreedRate { get; private set; }
    public DateTime? ViewedAt { get; private set; }
    public DateTime? RespondedAt { get; private set; }
    public DateTime CreatedAt { get; private set; }
    public DateTime UpdatedAt { get; private set; }
    /// <summary>When the driver's offer link was exchanged for a sign-in: a link works once (Features/Auth/OfferLinks).
    /// Set only by that exchange's conditional update, so two racing exchanges can't both win.</summary>
    public DateTime? LinkUsedAt { get; private set; }

    public bool IsFinal => Status == ProposalStatus.Rejected;

    /// <summary>The driver opened the offer. Only the first view changes anything.</summary>
    public bool MarkViewed(DateTime now)
    {
        if (Status != ProposalStatus.Sent)
        {
            return false;
        }
        Status = ProposalStatus.Viewed;
        ViewedAt = now;
        UpdatedAt = now;
        return true;
    }

    /// <summary>The driver accepts the rate currently on the table: the dispatcher's counter if there is one, else the offer's rate.
    /// With <paramref name="expectedRate"/> (the rate the driver saw) an accept made on a stale screen, or sent late from the
    /// phone's offline queue, is refused when the dispatcher changed the rate meanwhile, rather than agreeing to a rate the
    /// driver never saw.</summary>
    public void Accept(decimal offerRate, DateTime now, decimal? expectedRate = null)
    {
        EnsureNotFinal("accept");
        if (Status == ProposalStatus.Accepted)
        {
            throw new RuleViolationException("You have already accepted this offer.");
        }
        var onTable = DispatcherProposedRate ?? offerRate;
        if (expectedRate is { } expected && expected != onTable)
        {
            throw new RuleViolationException(
                $"The rate on the table is now {ChatLog.Money(onTable)}, not {ChatLog.Money(expected)}. Nothing was accepted; check it and answer again.");
        }
        Status = ProposalStatus.Accepted;
        AgreedRate = onTable;
        Responded(now);
    }

    public void Reject(DateTime now)
    {
        EnsureNotFinal("reject");
        Status = ProposalStatus.Rejected;
        AgreedRate = null;
        Responded(now);
    }

    public void Counter(decimal rate, DateTime now)
    {
        EnsureNotFinal("counter");
        EnsureRate(rate);
        Status = ProposalStatus.CounterOffered;
        DriverProposedRate = rate;
        AgreedRate = null;
        Responded(now);
    }

    /// <summary>The dispatcher answers a counter with a rate of their own; the driver may accept it or counter again.</summary>
    public void CounterBack(decimal rate, DateTime now)
    {
        EnsureNotFinal("counter");
        EnsureRate(rate);
        if (Status == ProposalStatus.Accepted)
        {
            throw new RuleViolationException("The driver has already accepted; book them or wait for their answer.");
        }
        DispatcherProposedRate = rate;
        UpdatedAt = now;
    }

    internal void MarkBooked(decimal rate, DateTime now)
    {
        Status = ProposalStatus.Accepted;
        AgreedRate = rate;
        UpdatedAt = now;
    }

    private static void EnsureRate(decimal rate)
    {
        if (rate <= 0 || rate > MaxRate)
        {
            throw new RuleViolationException($"rate must be greater than 0 and at most {MaxRate}.");
        }
    }

    private void EnsureNotFinal(string action)
    {
        if (IsFinal)
        {
            throw new RuleViolationException($"This proposal was {Status}; it can't {action} any more.");
        }
    }

    private void Responded(DateTime now)
    {
        ViewedAt ??= now;
        RespondedAt = now;
        UpdatedAt = now;
    }
}
