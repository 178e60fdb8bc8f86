namespace DriverOffers.Server.Common;

/// <summary>
/// Phone numbers as people type them ("(779) 513-2475", "779.513.2475", "+1 779-513-2475") compared and sent as E.164.
/// A bare 10-digit number is taken as North American (+1), which is what the legacy Trucks table holds.
/// </summary>
public static class PhoneNumber
{
    /// <summary>"+17795132475", or null when the text is not a plausible phone number.</summary>
    public static string? Normalize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > 40)
        {
            return null;
        }
        var trimmed = text.Trim();
        foreach (var c in trimmed)
        {
            // Separators people type; anything else (letters, extensions) is not a number we can text.
            if (!char.IsAsciiDigit(c) && c is not (' ' or '-' or '.' or '(' or ')' or '+'))
            {
                return null;
            }
        }
        var digits = new string(trimmed.Where(char.IsAsciiDigit).ToArray());
        var international = trimmed.StartsWith('+');
        return digits.Length switch
        {
            10 when !international => "+1" + digits,
            11 when digits[0] == '1' => "+" + digits,
            >= 8 and <= 15 when international => "+" + digits,
            _ => null,
        };
    }

    /// <summary>The last four digits, to find candidates in a column that stores numbers in any format.</summary>
    public static string LastFour(string normalized) => normalized[^4..];
}
