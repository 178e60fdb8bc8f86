using System.Text.Json;
using System.Text.Json.Serialization;

namespace DriverOffers.Server.Common;

/// <summary>A body field whose value is refused for a reason the field's message should state (see <c>ErrorHandling</c>).</summary>
public sealed class JsonFieldException(string message) : JsonException(message);

/// <summary>
/// Timestamps in requests must say which instant they mean: an offset or <c>Z</c>. Without one, System.Text.Json reads
/// the time in the server's own time zone, so "2026-11-26T08:00:00" was 08:00 UTC on a server set to UTC and 14:00 UTC
/// on one set to Central time: the same request, different pickup windows (docs/decisions/110-sign-out-and-the-limits-strangers-hit.md).
/// The web app and every example in docs/protocol.md send <c>Z</c>. Written as before (ISO 8601 with its offset).
/// </summary>
public sealed class TimestampWithOffsetConverter : JsonConverter<DateTimeOffset>
{
    public const string Required = "must be a date and time with an offset or Z, e.g. 2026-11-26T08:00:00Z or 2026-11-26T08:00:00-06:00.";

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String || !reader.TryGetDateTimeOffset(out var value) || !HasOffset(reader.GetString()!))
        {
            throw new JsonFieldException(Required);
        }
        return value;
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) => writer.WriteStringValue(value);

    /// <summary>A <c>Z</c>, or a sign after the time part begins (the date's own dashes come before the <c>T</c>).</summary>
    private static bool HasOffset(string text)
    {
        var time = text.IndexOfAny(['T', 't', ' ']);
        return time > 0 && (text.EndsWith('Z') || text.EndsWith('z') || text.AsSpan(time).IndexOfAny('+', '-') >= 0);
    }
}
