using DriverOffers.Server.Common;

namespace DriverOffers.Server.Features.Drivers;

/// <summary>Query-string parsing shared by the drivers use cases, so a bad value names its field instead of a bare 400.</summary>
internal static class DriverQueries
{
    public static bool? ParseBool(string? value, string field, Validation v)
    {
        switch (value?.Trim().ToLowerInvariant())
        {
            case null or "":
                return null;
            case "true" or "1":
                return true;
            case "false" or "0":
                return false;
            default:
                v.Add(field, $"{field} must be true or false (or left out for both).");
                return null;
        }
    }

    /// <summary>A number from the query string; <paramref name="allowed"/> ("a number from -90 to 90") ends each refusal,
    /// so a missing or garbled value is told the range too, not only a value out of it.</summary>
    public static double? ParseNumber(string? value, string field, Validation v, bool required, string allowed)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            v.Check(!required, field, $"{field} is required: {allowed}.");
            return null;
        }
        if (!double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var number)
            || !double.IsFinite(number))
        {
            v.Add(field, $"{field} must be {allowed}.");
            return null;
        }
        return number;
    }
}
