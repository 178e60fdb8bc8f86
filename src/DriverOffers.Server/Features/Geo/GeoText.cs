using System.Text;

namespace DriverOffers.Server.Features.Geo;

/// <summary>How place names are compared: lower case, letters and digits only, single spaces.</summary>
public static class GeoText
{
    /// <summary>Abbreviations that name the same place as the full word ("St. Louis" = "Saint Louis").</summary>
    private static readonly Dictionary<string, string> Abbreviations = new(StringComparer.Ordinal)
    {
        ["saint"] = "st", ["sainte"] = "ste", ["fort"] = "ft", ["mount"] = "mt",
    };

    private static readonly Dictionary<string, string> Expansions = Abbreviations.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);

    public static string Normalize(string text)
    {
        var sb = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                if (space && sb.Length > 0)
                {
                    sb.Append(' ');
                }
                sb.Append(char.ToLowerInvariant(c));
                space = false;
            }
            else if (c != '\'')
            {
                // "O'Fallon" stays one word; everything else separates words.
                space = true;
            }
        }
        return sb.ToString();
    }

    /// <summary>One spelling per place, for exact look-ups: abbreviations written out.</summary>
    public static string Canonical(string normalized) => Rewrite(normalized, Expansions);

    /// <summary>The abbreviated spelling, so "st lou" finds St. Louis as well as "saint lou" does.</summary>
    public static string Abbreviated(string canonical) => Rewrite(canonical, Abbreviations);

    private static string Rewrite(string normalized, Dictionary<string, string> map)
    {
        var words = normalized.Split(' ');
        var changed = false;
        for (var i = 0; i < words.Length; i++)
        {
            if (map.TryGetValue(words[i], out var other))
            {
                words[i] = other;
                changed = true;
            }
        }
        return changed ? string.Join(' ', words) : normalized;
    }
}
