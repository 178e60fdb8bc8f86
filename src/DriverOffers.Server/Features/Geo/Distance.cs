namespace DriverOffers.Server.Features.Geo;

/// <summary>
/// Road distance estimated without a router: great-circle miles × <see cref="RoadFactor"/>.
/// 1.17 is the usual circuity of the US road network for truck-length trips (road miles run about
/// 15–20 % over the straight line); good enough to rank trucks and suggest a rate per mile.
/// </summary>
public static class Distance
{
    public const double RoadFactor = 1.17;
    public const double EarthRadiusMiles = 3958.7613;

    public static double GreatCircleMiles(double lat1, double lon1, double lat2, double lon2)
    {
        var dLat = ToRadians(lat2 - lat1);
        var dLon = ToRadians(lon2 - lon1);
        var h = Math.Sin(dLat / 2) * Math.Sin(dLat / 2) +
                Math.Cos(ToRadians(lat1)) * Math.Cos(ToRadians(lat2)) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2);
        return 2 * EarthRadiusMiles * Math.Asin(Math.Min(1, Math.Sqrt(h)));
    }

    public static double RoadMiles(double lat1, double lon1, double lat2, double lon2) =>
        GreatCircleMiles(lat1, lon1, lat2, lon2) * RoadFactor;

    private static double ToRadians(double degrees) => degrees * Math.PI / 180;
}
