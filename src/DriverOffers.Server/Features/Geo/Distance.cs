namespace DriverOffers.Server.Features.Geo;

/// <summary>
/// Driving distance estimate without a router: great-circle miles × <see cref="RoadFactor"/>.
/// US road networks average about 1.17× the straight line between cities, close enough to price a load;
/// an online router can replace this later as an optional plug-in.
/// </summary>
public static class Distance
{
    public const double RoadFactor = 1.17;
    public const double EarthRadiusMiles = 3958.8;

    /// <summary>Haversine distance in statute miles.</summary>
    public static double GreatCircleMiles(double lat1, double lon1, double lat2, double lon2)
    {
        var dLat = ToRadians(lat2 - lat1);
        var dLon = ToRadians(lon2 - lon1);
        var a = Math.Sin(dLat / 2) * Math.Sin(dLat / 2)
            + Math.Cos(ToRadians(lat1)) * Math.Cos(ToRadians(lat2)) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2);
        return 2 * EarthRadiusMiles * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }

    /// <summary>Estimated road miles, rounded to one decimal.</summary>
    public static decimal RoadMiles(double lat1, double lon1, double lat2, double lon2) =>
        Math.Round((decimal)(GreatCircleMiles(lat1, lon1, lat2, lon2) * RoadFactor), 1);

    private static double ToRadians(double degrees) => degrees * Math.PI / 180;
}
