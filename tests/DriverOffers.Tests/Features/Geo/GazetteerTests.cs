using DriverOffers.Server.Features.Geo;

namespace DriverOffers.Tests.Features.Geo;

/// <summary>The shipped gazetteer, searched in memory without a host.</summary>
public sealed class GazetteerTests
{
    private static readonly Gazetteer Places = Gazetteer.Default;

    private static string[] Labels(string query, int limit = 10) => [.. Places.Search(query, limit).Select(p => p.Label)];

    [Fact]
    public void Ships_tens_of_thousands_of_places_and_zip_codes()
    {
        Assert.InRange(Places.PlaceCount, 25_000, 50_000);
        Assert.InRange(Places.ZipCount, 35_000, 45_000);
    }

    [Fact]
    public void City_comma_state_finds_exactly_that_city()
    {
        var hit = Assert.Single(Places.Search("Rockford, IL", 10));
        Assert.Equal(("Rockford", "IL", (string?)null), (hit.City, hit.State, hit.Zip));
        Assert.Equal(42.27, hit.Lat, 2);
        Assert.Equal(-89.09, hit.Lon, 2);
    }

    [Fact]
    public void Prefix_ranks_the_biggest_place_first()
    {
        var labels = Labels("rockf", 5);
        Assert.Equal("Rockford, IL", labels[0]);
        Assert.All(labels, l => Assert.StartsWith("Rock", l, StringComparison.Ordinal));
    }

    [Fact]
    public void Exact_name_beats_a_longer_bigger_name()
    {
        // Spring, TX is smaller than Springfield, MO, but it is exactly what was typed.
        var labels = Labels("spring", 5);
        Assert.Equal("Spring, TX", labels[0]);
        Assert.Contains("Springfield, MO", labels);
    }

    [Fact]
    public void Big_cities_come_before_small_ones_with_the_same_prefix()
    {
        var labels = Labels("san", 3);
        Assert.Equal(["San Antonio, TX", "San Diego, CA", "San Jose, CA"], labels);
    }

    [Fact]
    public void City_and_state_without_a_comma_are_understood()
    {
        Assert.Equal(["Smyrna, TN"], Labels("Smyrna TN"));
        Assert.Equal("Rockford, IL", Labels("rockford illinois")[0]);
    }

    [Fact]
    public void Trailing_word_that_is_also_a_state_falls_back_to_the_whole_name()
    {
        // "new york" is not "new" in York state: the name reading wins when no place matches otherwise.
        Assert.Equal("New York, NY", Labels("new york")[0]);
    }

    [Fact]
    public void Zip_code_finds_its_city()
    {
        var hit = Assert.Single(Places.Search("37167", 10));
        Assert.Equal("Smyrna, TN 37167", hit.Label);
        Assert.True(hit.IsZip);
    }

    [Fact]
    public void Zip_prefix_lists_zip_codes_in_order()
    {
        var hits = Places.Search("371", 5);
        Assert.Equal(5, hits.Count);
        Assert.All(hits, h => Assert.StartsWith("371", h.Zip, StringComparison.Ordinal));
        Assert.Equal(hits.Select(h => h.Zip).Order(StringComparer.Ordinal), hits.Select(h => h.Zip));
    }

    [Fact]
    public void Zip_codes_with_leading_zeros_keep_them()
    {
        // ZIPs are held as numbers: 02108 must not come back as 2108, nor "0" mean every code.
        var boston = Places.FindZip("02108");
        Assert.NotNull(boston);
        Assert.Equal(("Boston", "MA", "02108"), (boston.City, boston.State, boston.Zip));
        Assert.Equal("02108", Assert.Single(Places.Search("02108", 10)).Zip);
        Assert.Equal(["02108", "02109", "02110"], Places.Search("021", 3).Select(h => h.Zip));
        Assert.All(Places.Search("0", 50), h => Assert.Matches("^0[0-9]{4}$", h.Zip!));
        Assert.Null(Places.FindZip("2108"));
        Assert.Null(Places.FindZip("0210a"));
    }

    [Fact]
    public void City_state_and_zip_put_the_zip_first_then_the_city()
    {
        Assert.Equal(["Smyrna, TN 37167", "Smyrna, TN"], Labels("Smyrna, TN 37167"));
    }

    [Fact]
    public void Saint_and_St_are_the_same_word()
    {
        Assert.Equal("St. Louis, MO", Labels("st lou")[0]);
        Assert.Equal("St. Louis, MO", Labels("saint louis, mo")[0]);
    }

    [Fact]
    public void Limit_caps_the_results()
    {
        Assert.Equal(3, Places.Search("a", 3).Count);
    }

    [Fact]
    public void Nonsense_finds_nothing()
    {
        Assert.Empty(Places.Search("qqqxz", 10));
        Assert.Empty(Places.Search("Rockford, ZZ", 10));
    }

    [Theory]
    [InlineData("Rockford, IL", 42.27, -89.09)]
    [InlineData("Smyrna, TN", 35.98, -86.52)]
    [InlineData("SMYRNA TN", 35.98, -86.52)]
    [InlineData("Smyrna, Tennessee", 35.98, -86.52)]
    [InlineData("Smyrna, TN 37167", 35.97, -86.50)]
    [InlineData("Weehawken, NJ", 40.77, -74.02)]
    [InlineData("St. Louis, MO", 38.63, -90.20)]
    [InlineData("61101", 42.29, -89.12)]
    public void Resolves_legacy_city_state_zip_text(string text, double lat, double lon)
    {
        var place = Places.Resolve(text);
        Assert.NotNull(place);
        Assert.Equal(lat, place.Lat, 1);
        Assert.Equal(lon, place.Lon, 1);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Rockford")]
    [InlineData("Rockford, ZZ")]
    [InlineData("Nowhere Special, TN")]
    public void Does_not_guess_ambiguous_or_unknown_places(string? text)
    {
        // "Rockford" alone exists in many states: no position beats a wrong one.
        Assert.Null(Places.Resolve(text));
    }

    [Fact]
    public void Zip_in_another_state_than_named_does_not_win()
    {
        // 37167 is in Tennessee; "Rockford, IL 37167" resolves to Rockford, IL.
        var place = Places.Resolve("Rockford, IL 37167");
        Assert.NotNull(place);
        Assert.Equal(("Rockford", "IL"), (place.City, place.State));
    }
}
