namespace DriverOffers.Server.Features.Geo;

/// <summary>The 50 states and DC, by postal code and by name, for parsing "Rockford, IL" or "Rockford Illinois".</summary>
public static class UsStates
{
    public static readonly IReadOnlyDictionary<string, string> Names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["AL"] = "Alabama", ["AK"] = "Alaska", ["AZ"] = "Arizona", ["AR"] = "Arkansas", ["CA"] = "California",
        ["CO"] = "Colorado", ["CT"] = "Connecticut", ["DE"] = "Delaware", ["DC"] = "District of Columbia",
        ["FL"] = "Florida", ["GA"] = "Georgia", ["HI"] = "Hawaii", ["ID"] = "Idaho", ["IL"] = "Illinois",
        ["IN"] = "Indiana", ["IA"] = "Iowa", ["KS"] = "Kansas", ["KY"] = "Kentucky", ["LA"] = "Louisiana",
        ["ME"] = "Maine", ["MD"] = "Maryland", ["MA"] = "Massachusetts", ["MI"] = "Michigan", ["MN"] = "Minnesota",
        ["MS"] = "Mississippi", ["MO"] = "Missouri", ["MT"] = "Montana", ["NE"] = "Nebraska", ["NV"] = "Nevada",
        ["NH"] = "New Hampshire", ["NJ"] = "New Jersey", ["NM"] = "New Mexico", ["NY"] = "New York",
        ["NC"] = "North Carolina", ["ND"] = "North Dakota", ["OH"] = "Ohio", ["OK"] = "Oklahoma", ["OR"] = "Oregon",
        ["PA"] = "Pennsylvania", ["RI"] = "Rhode Island", ["SC"] = "South Carolina", ["SD"] = "South Dakota",
        ["TN"] = "Tennessee", ["TX"] = "Texas", ["UT"] = "Utah", ["VT"] = "Vermont", ["VA"] = "Virginia",
        ["WA"] = "Washington", ["WV"] = "West Virginia", ["WI"] = "Wisconsin", ["WY"] = "Wyoming",
    };

    private static readonly Dictionary<string, string> ByName =
        Names.ToDictionary(p => GeoText.Normalize(p.Value), p => p.Key, StringComparer.Ordinal);

    /// <summary>The postal code for "il", "IL" or "illinois" (already normalized: lower case, single spaces).</summary>
    public static string? Code(string normalized) =>
        normalized.Length == 2 && Names.ContainsKey(normalized) ? normalized.ToUpperInvariant()
        : ByName.GetValueOrDefault(normalized);

    /// <summary>Codes whose postal code or name starts with the typed text: "i" → IA, ID, IL, IN; "new" → NH, NJ, NM, NY.</summary>
    public static IReadOnlySet<string> StartingWith(string normalized) =>
        Names.Where(p => p.Key.StartsWith(normalized, StringComparison.OrdinalIgnoreCase)
                         || GeoText.Normalize(p.Value).StartsWith(normalized, StringComparison.Ordinal))
            .Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
}
