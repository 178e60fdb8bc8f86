using DriverOffers.Server.Features.Proposals;

namespace DriverOffers.Server.Features.Offers;

/// <summary>Proposal counts by status, for the offer cards' live counters.</summary>
public sealed record ProposalCounters(int Total, int Sent, int Viewed, int Accepted, int Rejected, int CounterOffered);

/// <summary>The dispatcher behind an offer, as a driver sees them.</summary>
public sealed record DispatcherContact(int Id, string FullName, string? MobileNumber, string? Email);

/// <summary>
/// An offer as one audience sees it. Dispatchers get <c>counters</c>; a driver gets <c>my_proposal</c> and
/// <c>dispatcher</c>, never other drivers' data: <c>booked_driver_id</c> is only shown to the booked driver,
/// and <c>load_taken</c> tells everyone else.
/// </summary>
public record OfferResponse(
    int Id, int CreatedBy,
    string PickupLocation, double? PickupLat, double? PickupLon,
    string DeliveryLocation, double? DeliveryLat, double? DeliveryLon,
    DateTime? PickupWindowStart, DateTime? PickupWindowEnd,
    DateTime? DeliveryWindowStart, DateTime? DeliveryWindowEnd,
    decimal? WeightLbs, string? Dimensions, decimal? DistanceMiles, decimal ProposedRate, decimal? RatePerMile,
    string Status, bool IsExpired, string? Notes, bool AutoBook, DateTime? ExpiresAt,
    int? BookedDriverId, decimal? BookedRate, DateTime? BookedAt, bool LoadTaken,
    DateTime CreatedAt, DateTime UpdatedAt, int Version,
    ProposalCounters? Counters, int UnreadCount,
    DispatcherContact? Dispatcher, ProposalResponse? MyProposal)
{
    public static OfferResponse ForDispatcher(Offer o, ProposalCounters counters, int unread, DispatcherContact? dispatcher, DateTime now) =>
        Build(o, now, o.BookedDriverId, loadTaken: false, counters, unread, dispatcher, myProposal: null);

    public static OfferResponse ForDriver(Offer o, int driverId, ProposalResponse? mine, int unread, DispatcherContact? dispatcher, DateTime now)
    {
        var bookedMe = o.BookedDriverId == driverId;
        return Build(o, now, bookedMe ? driverId : null, loadTaken: o.Status == OfferStatus.Completed && !bookedMe,
            counters: null, unread, dispatcher, mine);
    }

    private static OfferResponse Build(Offer o, DateTime now, int? bookedDriverId, bool loadTaken, ProposalCounters? counters,
        int unread, DispatcherContact? dispatcher, ProposalResponse? myProposal) =>
        new(o.Id, o.CreatedBy,
            o.PickupLocation, o.PickupLat, o.PickupLon,
            o.DeliveryLocation, o.DeliveryLat, o.DeliveryLon,
            o.PickupWindowStart, o.PickupWindowEnd, o.DeliveryWindowStart, o.DeliveryWindowEnd,
            o.WeightLbs, o.Dimensions, o.DistanceMiles, o.ProposedRate,
            o.DistanceMiles is > 0 ? Math.Round(o.ProposedRate / o.DistanceMiles.Value, 2) : null,
            o.Status, o.IsExpired(now), o.Notes, o.AutoBook, o.ExpiresAt,
            bookedDriverId, bookedDriverId is null ? null : o.BookedRate, o.BookedAt, loadTaken,
            o.CreatedAt, o.UpdatedAt, o.Version,
            counters, unread, dispatcher, myProposal);
}
