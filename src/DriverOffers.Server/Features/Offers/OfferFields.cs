using DriverOffers.Server.Common;
using DriverOffers.Server.Features.Geo;
using DriverOffers.Server.Features.Proposals;

namespace DriverOffers.Server.Features.Offers;

/// <summary>The load fields a dispatcher fills in, shared by CreateOffer and UpdateOffer (PUT replaces them all).</summary>
public interface IOfferFields
{
    string? PickupLocation { get; }
    double? PickupLat { get; }
    double? PickupLon { get; }
    string? DeliveryLocation { get; }
    double? DeliveryLat { get; }
    double? DeliveryLon { get; }
    DateTimeOffset? PickupWindowStart { get; }
    DateTimeOffset? PickupWindowEnd { get; }
    DateTimeOffset? DeliveryWindowStart { get; }
    DateTimeOffset? DeliveryWindowEnd { get; }
    decimal? WeightLbs { get; }
    string? Dimensions { get; }
    decimal? DistanceMiles { get; }
    decimal? ProposedRate { get; }
    string? Notes { get; }
    bool? AutoBook { get; }
    DateTimeOffset? ExpiresAt { get; }
}

/// <summary>Validation of <see cref="IOfferFields"/>: every field, every error at once, named as on the wire.</summary>
public static class OfferFields
{
    public const int MaxLocation = 500;
    public const int MaxNotes = 4000;
    public const int MaxDimensions = 100;
    /// <summary>Far above a legal US load (80,000 lbs gross) but catches unit mistakes.</summary>
    public const decimal MaxWeightLbs = 200_000m;
    public const decimal MaxDistanceMiles = 10_000m;

    /// <summary>The validated details, or null with the errors in <paramref name="v"/>. Missing coordinates come from the
    /// location's text where the gazetteer knows it; a missing distance is estimated from the coordinates (great-circle ×
    /// road factor) when both ends have them.</summary>
    public static OfferDetails? Validate(IOfferFields r, Validation v, DateTime now, Gazetteer places, DateTime? currentExpiresAt = null)
    {
        var pickup = v.Text(r.PickupLocation, "pickup_location", 1, MaxLocation);
        var delivery = v.Text(r.DeliveryLocation, "delivery_location", 1, MaxLocation);
        Coordinates(v, r.PickupLat, r.PickupLon, "pickup");
        Coordinates(v, r.DeliveryLat, r.DeliveryLon, "delivery");
        v.Positive(r.WeightLbs, "weight_lbs", MaxWeightLbs);
        v.Positive(r.DistanceMiles, "distance_miles", MaxDistanceMiles);
        v.Money(r.ProposedRate, "proposed_rate", Proposal.MaxRate, required: true);
        var dimensions = v.Text(r.Dimensions, "dimensions", 1, MaxDimensions, required: false);
        var notes = v.Text(r.Notes, "notes", 0, MaxNotes, required: false);
        Ordered(v, r.PickupWindowStart, r.PickupWindowEnd, "pickup_window_end", "pickup_window_end must not be before pickup_window_start.");
        Ordered(v, r.DeliveryWindowStart, r.DeliveryWindowEnd, "delivery_window_end", "delivery_window_end must not be before delivery_window_start.");
        Ordered(v, r.PickupWindowStart, r.DeliveryWindowEnd, "delivery_window_end", "delivery_window_end must not be before pickup_window_start.");
        // An unchanged expiry may be in the past on edit: an expired offer can still be edited (and stays expired unless
        // the edit gives it a new expires_at, which reopens it).
        if (r.ExpiresAt is { } expires && expires.UtcDateTime <= now && expires.UtcDateTime != currentExpiresAt)
        {
            v.Add("expires_at", "expires_at must be in the future.");
        }
        if (!v.IsValid)
        {
            return null;
        }
        var (pickupLat, pickupLon) = Locate(places, pickup!, r.PickupLat, r.PickupLon);
        var (deliveryLat, deliveryLon) = Locate(places, delivery!, r.DeliveryLat, r.DeliveryLon);
        // Measurements are kept to the hundredth (the columns' scale) on every provider; a client's computed distance
        // (911.8472…) is not an error the way a fraction of a cent is.
        var distance = Hundredths(r.DistanceMiles);
        if (distance is null && (pickupLat, pickupLon, deliveryLat, deliveryLon) is ({ } pLat, { } pLon, { } dLat, { } dLon))
        {
            var estimate = Math.Round((decimal)Distance.RoadMiles(pLat, pLon, dLat, dLon), 1);
            distance = estimate > 0 ? estimate : null;
        }
        return new OfferDetails(pickup!, pickupLat, pickupLon, delivery!, deliveryLat, deliveryLon,
            r.PickupWindowStart?.UtcDateTime, r.PickupWindowEnd?.UtcDateTime,
            r.DeliveryWindowStart?.UtcDateTime, r.DeliveryWindowEnd?.UtcDateTime,
            Hundredths(r.WeightLbs), dimensions, distance, r.ProposedRate!.Value, string.IsNullOrEmpty(notes) ? null : notes);
    }

    /// <summary>
    /// The coordinates given, or else those of the location's text when the offline gazetteer knows it ("Rockford, IL",
    /// "Smyrna, TN 37167", "61101"): an offer posted by another system with place names only still gets its distance,
    /// its rate per mile and the trucks near its pickup. Text it doesn't know (a dock, an ambiguous city) stays without.
    /// </summary>
    private static (double? Lat, double? Lon) Locate(Gazetteer places, string location, double? lat, double? lon) =>
        (lat, lon) is ({ }, { }) ? (lat, lon)
        : places.Resolve(location) is { } place ? (place.Lat, place.Lon)
        : (null, null);

    private static decimal? Hundredths(decimal? value) =>
        value is { } v ? Math.Max(0.01m, decimal.Round(v, 2, MidpointRounding.AwayFromZero)) : null;

    private static void Coordinates(Validation v, double? lat, double? lon, string prefix)
    {
        v.Range(lat, $"{prefix}_lat", -90, 90);
        v.Range(lon, $"{prefix}_lon", -180, 180);
        if (lat is null != lon is null)
        {
            v.Add(lat is null ? $"{prefix}_lat" : $"{prefix}_lon", $"{prefix}_lat and {prefix}_lon go together: give both or neither.");
        }
    }

    private static void Ordered(Validation v, DateTimeOffset? start, DateTimeOffset? end, string field, string message)
    {
        if (start is { } s && end is { } e && e < s)
        {
            v.Add(field, message);
        }
    }
}
