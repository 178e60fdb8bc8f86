using DriverOffers.Server.Features.Chat;
using DriverOffers.Server.Features.Geo;
using DriverOffers.Server.Features.Presence;

namespace DriverOffers.Server.Features.Drivers;

/// <summary>
/// A truck and its driver on the wire (truck table, pickers, <c>truck_updated</c>). <c>latitude</c>/<c>longitude</c>
/// come from the row, or, when the row has none, from <c>city_state_zip</c> through the gazetteer
/// (<c>location_resolved: true</c>). <c>distance_miles</c> (road miles) is set only by <c>by-location</c>.
/// <c>is_online</c>/<c>last_seen</c> are the driver's presence when the view was written, so a page opened now shows who
/// is online now; <c>presence_changed</c> keeps it current from there.
/// </summary>
public sealed record DriverResponse(
    int Id, string? TruckNumber, string? Status, string? DriverName, string? CellPhone, string? CityStateZip,
    string? Dimensions, string? Rate, string? Mail, double? Latitude, double? Longitude, bool LocationResolved,
    int? AssignedDispatcherId, bool IsActive, DateTime? UpdatedAt, double? DistanceMiles)
{
    public static DriverResponse From(Truck t, Gazetteer gazetteer, double? distanceMiles = null)
    {
        var (lat, lon, resolved) = Position(t, gazetteer) is { } p ? (p.Lat, p.Lon, p.Resolved) : ((double?)null, (double?)null, false);
        return new DriverResponse(t.Id, t.TruckNumber, t.Status, t.DriverName, t.CellPhone, t.CityStateZip,
            t.Dimensions, t.Rate, t.Mail, lat, lon, resolved, t.AssignedDispatcherId, t.IsActive, t.UpdatedAt,
            distanceMiles is { } d ? Math.Round(d, 1) : null);
    }

    public bool? IsOnline { get; init; }

    public DateTime? LastSeen { get; init; }

    /// <summary>The view with the driver's presence from <see cref="PresenceOf"/>.</summary>
    public DriverResponse WithPresence(IReadOnlyDictionary<int, PresenceNow> presence) =>
        presence.TryGetValue(Id, out var now) ? this with { IsOnline = now.IsOnline, LastSeen = now.LastSeen } : this with { IsOnline = false };

    /// <summary>The presence of these trucks' drivers as known now, asked all at once.</summary>
    public static Task<IReadOnlyDictionary<int, PresenceNow>> PresenceOf(IPresence presence, IEnumerable<Truck> trucks) =>
        presence.OfManyAsync(SenderType.Driver, [.. trucks.Select(t => t.Id)]);

    /// <summary>
    /// Where the truck is: its own coordinates when it has usable ones, else its <c>CityStateZip</c> looked up in the
    /// gazetteer. Legacy rows use NULL or 0/0 for "unknown", so 0/0 counts as missing.
    /// </summary>
    public static (double Lat, double Lon, bool Resolved)? Position(Truck t, Gazetteer gazetteer)
    {
        if (t.Latitude is { } lat && t.Longitude is { } lon && (lat != 0 || lon != 0)
            && lat is >= -90 and <= 90 && lon is >= -180 and <= 180)
        {
            return ((double)lat, (double)lon, false);
        }
        return gazetteer.Resolve(t.CityStateZip) is { } place ? (place.Lat, place.Lon, true) : null;
    }
}
