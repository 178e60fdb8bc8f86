using DriverOffers.Server.Features.Geo;

namespace DriverOffers.Tests.Features.Geo;

public sealed class DistanceTests
{
    [Fact]
    public void Rockford_to_Smyrna_is_about_456_great_circle_miles()
    {
        // Reference value from the haversine formula with the mean Earth radius (3958.76 mi).
        Assert.Equal(455.8, Distance.GreatCircleMiles(42.2711, -89.0940, 35.9828, -86.5186), 1);
    }

    [Fact]
    public void New_York_to_Los_Angeles_matches_the_published_great_circle_distance()
    {
        Assert.InRange(Distance.GreatCircleMiles(40.7128, -74.0060, 34.0522, -118.2437), 2440, 2450);
    }

    [Fact]
    public void Road_miles_are_great_circle_times_the_documented_road_factor()
    {
        Assert.Equal(1.17, Distance.RoadFactor);
        var gc = Distance.GreatCircleMiles(42.2711, -89.0940, 35.9828, -86.5186);
        Assert.Equal(gc * 1.17, Distance.RoadMiles(42.2711, -89.0940, 35.9828, -86.5186), 6);
        Assert.Equal(533.3, Distance.RoadMiles(42.2711, -89.0940, 35.9828, -86.5186), 1);
    }

    [Fact]
    public void Same_point_is_zero_and_distance_is_symmetric()
    {
        Assert.Equal(0, Distance.RoadMiles(35.98, -86.52, 35.98, -86.52));
        Assert.Equal(Distance.RoadMiles(42.27, -89.09, 35.98, -86.52), Distance.RoadMiles(35.98, -86.52, 42.27, -89.09), 9);
    }
}
