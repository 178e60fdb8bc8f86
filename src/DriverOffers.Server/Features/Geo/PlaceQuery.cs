namespace DriverOffers.Server.Features.Geo;

/// <summary>
/// What someone typed, split into a place name, a state and a ZIP: "Rockford, IL", "rockf", "Smyrna TN",
/// "Smyrna, TN 37167", "371", "Rockford Illinois". Without a comma a trailing state is only a guess, so
/// <see cref="WithoutState"/> keeps the reading where the whole text is the name ("Rock In" might be a town).
/// </summary>
internal sealed record PlaceQuery(string Name, IReadOnlySet<string>? States, string? Zip, PlaceQuery? WithoutState)
{
    public bool ZipIsPrefix => Zip is { Length: < 5 };

    public static PlaceQuery Parse(string text)
    {
        var comma = text.IndexOf(',', StringComparison.Ordinal);
        var nameWords = Words(comma < 0 ? text : text[..comma]);
        var restWords = comma < 0 ? null : Words(text[(comma + 1)..]);
        var zip = TakeZip(restWords ?? nameWords);

        if (restWords is not null)
        {
            var stateText = string.Join(' ', restWords);
            IReadOnlySet<string>? states = stateText.Length == 0 ? null
                : UsStates.Code(stateText) is { } code ? new HashSet<string> { code } : UsStates.StartingWith(stateText);
            return new PlaceQuery(string.Join(' ', nameWords), states, zip, null);
        }
        var whole = new PlaceQuery(string.Join(' ', nameWords), null, zip, null);
        // "Smyrna TN", "Salt Lake City Utah", "Washington District of Columbia": a state name is up to 3 words.
        for (var n = Math.Min(3, nameWords.Count - 1); n >= 1; n--)
        {
            if (UsStates.Code(string.Join(' ', nameWords.Skip(nameWords.Count - n))) is { } code)
            {
                return new PlaceQuery(string.Join(' ', nameWords.Take(nameWords.Count - n)), new HashSet<string> { code }, zip, whole);
            }
        }
        return whole;
    }

    private static List<string> Words(string text)
    {
        var normalized = GeoText.Normalize(text);
        return normalized.Length == 0 ? [] : [.. normalized.Split(' ')];
    }

    /// <summary>Removes a trailing ZIP ("37167", "37167-1234", or the start of one) from the words.</summary>
    private static string? TakeZip(List<string> words)
    {
        if (words.Count >= 2 && IsDigits(words[^1], 4, 4) && IsDigits(words[^2], 5, 5))
        {
            words.RemoveAt(words.Count - 1);
        }
        if (words.Count > 0 && IsDigits(words[^1], 1, 5))
        {
            var zip = words[^1];
            words.RemoveAt(words.Count - 1);
            return zip;
        }
        return null;
    }

    private static bool IsDigits(string word, int min, int max) =>
        word.Length >= min && word.Length <= max && word.All(char.IsAsciiDigit);
}
