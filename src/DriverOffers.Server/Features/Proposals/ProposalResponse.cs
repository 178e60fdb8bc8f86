namespace DriverOffers.Server.Features.Proposals;

/// <summary>The invited truck, as listed beside its proposal.</summary>
public sealed record ProposalDriver(int Id, string? TruckNumber, string? DriverName, string? CellPhone, string? CityStateZip, string? Status);

/// <summary>
/// A proposal on the wire. <c>driver</c> is filled for dispatchers (the left zone of the offers page);
/// <c>offer_status</c> and <c>is_booked</c> let every invited driver see at once that the load is taken.
/// </summary>
public sealed record ProposalResponse(
    int Id, int OfferId, int DriverId, string Status,
    decimal? DriverProposedRate, decimal? DispatcherProposedRate, decimal? AgreedRate,
    DateTime? ViewedAt, DateTime? RespondedAt, DateTime CreatedAt, DateTime UpdatedAt,
    string OfferStatus, bool IsBooked, int UnreadCount, ProposalDriver? Driver)
{
    public static ProposalResponse From(Proposal p, string offerStatus, int? bookedDriverId, int unread = 0, ProposalDriver? driver = null) =>
        new(p.Id, p.OfferId, p.DriverId, p.Status, p.DriverProposedRate, p.DispatcherProposedRate, p.AgreedRate,
            p.ViewedAt, p.RespondedAt, p.CreatedAt, p.UpdatedAt, offerStatus, bookedDriverId == p.DriverId, unread, driver);
}
