using DriverOffers.Server.Features.Geo;

namespace DriverOffers.Tests.Features.Geo;

public sealed class DistanceTests
{
    [Fact]
    public void Great_circle_between_known_cities_matches_published_figures()
    {
        // New York (40.7128, -74.0060) → Los Angeles (34.0522, -118.2437): about 2,445 statute miles.
        Assert.InRange(Distance.GreatCircleMiles(40.7128, -74.0060, 34.0522, -118.2437), 2440, 2452);
        Assert.Equal(0, Distance.GreatCircleMiles(35, -86, 35, -86));
    }

    [Fact]
    public void Road_miles_apply_the_road_factor()
    {
        var straight = Distance.GreatCircleMiles(42.2711, -89.0940, 35.9828, -86.5186);
        Assert.Equal(Math.Round((decimal)(straight * 1.17), 1), Distance.RoadMiles(42.2711, -89.0940, 35.9828, -86.5186));
    }
}
