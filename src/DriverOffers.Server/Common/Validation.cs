namespace DriverOffers.Server.Common;

/// <summary>
/// Collects field errors for a 400 problem-details response. Keys are the snake_case JSON field names,
/// messages say what is allowed, so a client can show each next to its field.
/// </summary>
public sealed class Validation
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsValid => _errors.Count == 0;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }
        list.Add(message);
    }

    public void Check(bool ok, string field, string message)
    {
        if (!ok)
        {
            Add(field, message);
        }
    }

    /// <summary>Required text, trimmed, within [min, max] characters, without <see cref="IsForbiddenCharacter">control or
    /// bidirectional-override characters</see>.</summary>
    public string? Text(string? value, string field, int min, int max, bool required = true)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            Check(!required, field, $"{field} is required ({min}..{max} characters).");
            return null;
        }
        if (trimmed.Length < min || trimmed.Length > max)
        {
            Add(field, $"{field} must be {min}..{max} characters (got {trimmed.Length}).");
        }
        if (FirstForbidden(trimmed) is { } c)
        {
            Add(field, $"{field} must not contain control characters or bidirectional overrides (found U+{(int)c:X4}); " +
                "line breaks and tabs are allowed.");
        }
        return trimmed;
    }

    /// <summary>
    /// Characters no text field takes (docs/decisions/099-security-pass.md): C0 and C1 controls other than tab and line
    /// breaks (PostgreSQL refuses NUL outright, so one such message failed every message stored with it, and escape
    /// sequences are noise to every reader), and the bidirectional embeddings, overrides and isolates (U+202A–U+202E,
    /// U+2066–U+2069), with which a name or message reorders the text shown after it ("Trojan Source"). The marks
    /// right-to-left writers use (U+200E, U+200F, U+061C) are allowed.
    /// </summary>
    public static bool IsForbiddenCharacter(char c) => c switch
    {
        '\t' or '\n' or '\r' => false,
        < ' ' or (>= '\u007F' and <= '\u009F') => true,
        >= '\u202A' and <= '\u202E' => true,
        >= '\u2066' and <= '\u2069' => true,
        _ => false,
    };

    private static char? FirstForbidden(string text)
    {
        foreach (var c in text)
        {
            if (IsForbiddenCharacter(c))
            {
                return c;
            }
        }
        return null;
    }

    public void Range(double? value, string field, double min, double max, bool required = false)
    {
        if (value is null)
        {
            Check(!required, field, $"{field} is required ({min}..{max}).");
            return;
        }
        Check(!double.IsNaN(value.Value) && value >= min && value <= max, field, $"{field} must be between {min} and {max}.");
    }

    public void Positive(decimal? value, string field, decimal max, bool required = false)
    {
        if (value is null)
        {
            Check(!required, field, $"{field} is required (greater than 0, at most {max}).");
            return;
        }
        Check(value > 0 && value <= max, field, $"{field} must be greater than 0 and at most {max}.");
    }

    /// <summary>A rate in dollars: greater than 0, at most <paramref name="max"/>, whole cents. Fractions of a cent are refused
    /// rather than rounded, so nobody agrees to an amount other than the one they sent (and every provider stores the same:
    /// the column is decimal(12,2), which MariaDB and PostgreSQL round and SQLite does not).</summary>
    public void Money(decimal? value, string field, decimal max, bool required = false)
    {
        Positive(value, field, max, required);
        Check(value is not { } v || decimal.Round(v, 2) == v, field, $"{field} is in dollars and cents: at most 2 decimal places.");
    }

    /// <summary>
    /// A whole number from a query string, within [min, max]; left out (or empty) is null. Query values are read as text
    /// and parsed here, so a value such as <c>limit=x</c> gets <paramref name="rule"/> under its snake_case name
    /// instead of the framework's binding message, which names the C# parameter and says nothing of what is allowed.
    /// </summary>
    public long? WholeNumber(string? value, string field, long min, long max, string rule)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        if (!long.TryParse(value.Trim(), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var number)
            || number < min || number > max)
        {
            Add(field, rule);
            return null;
        }
        return number;
    }

    /// <summary>A list's <c>limit</c> from the query string: <paramref name="byDefault"/> when left out.</summary>
    public int Limit(string? value, int max, int byDefault) =>
        (int?)WholeNumber(value, "limit", 1, max, LimitRule(max, byDefault)) ?? byDefault;

    /// <summary>What a list's <c>limit</c> allows, in the same words on every route.</summary>
    public static string LimitRule(int max, int byDefault) => $"limit must be a whole number from 1 to {max} (default {byDefault}).";

    public Dictionary<string, string[]> Errors => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
}
