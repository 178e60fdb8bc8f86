using System.Text.Json;
using System.Text.Json.Serialization;

namespace DriverOffers.Server.Common;

/// <summary>A body field whose value is refused for a reason the field's message should state (see <c>ErrorHandling</c>).</summary>
public sealed class JsonFieldException(string message) : JsonException(message);

/// <summary>
/// Timestamps in requests name one instant whatever the server's time zone. With an offset or <c>Z</c> they are kept
/// as given. Without one (<c>2026-11-26T08:00:00</c>, as Python's <c>isoformat()</c> and many scripts write) they are
/// read as UTC, as every timestamp on the wire is: System.Text.Json alone would read them in the server's own time
/// zone, so the same request meant 08:00 UTC on one server and 14:00 UTC on another (decision 110). Anything that is
/// not an ISO 8601 date and time is a 400 naming the field. Written as before (ISO 8601 with its offset).
/// </summary>
public sealed class TimestampConverter : JsonConverter<DateTimeOffset>
{
    public const string Required = "must be an ISO 8601 date and time, e.g. 2026-11-26T08:00:00Z or 2026-11-26T08:00:00-06:00 (without an offset it is read as UTC).";

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String || !reader.TryGetDateTimeOffset(out var value))
        {
            throw new JsonFieldException(Required);
        }
        if (HasOffset(reader.GetString()!))
        {
            return value;
        }
        // TryGetDateTimeOffset gave the server's local offset; the clock time is what the client wrote.
        return new DateTimeOffset(DateTime.SpecifyKind(value.DateTime, DateTimeKind.Unspecified), TimeSpan.Zero);
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) => writer.WriteStringValue(value);

    /// <summary>A <c>Z</c>, or a sign after the time part begins (the date's own dashes come before the <c>T</c>).</summary>
    private static bool HasOffset(string text)
    {
        var time = text.IndexOfAny(['T', 't', ' ']);
        return time > 0 && (text.EndsWith('Z') || text.EndsWith('z') || text.AsSpan(time).IndexOfAny('+', '-') >= 0);
    }
}
