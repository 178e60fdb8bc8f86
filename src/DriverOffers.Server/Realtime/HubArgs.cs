using System.Text.Json;
using DriverOffers.Server.Common;
using Microsoft.AspNetCore.SignalR;

namespace DriverOffers.Server.Realtime;

/// <summary>
/// Reads a hub method's one JSON object argument. Hub methods take <see cref="JsonElement"/> and read it here, so
/// that a wrong type, a missing field or an unknown property gets a clear message naming the field (SignalR's own
/// binding errors say only "error on the server").
/// </summary>
public static class HubArgs
{
    /// <summary>
    /// The argument as <typeparamref name="T"/>. <c>null</c> (and no argument at all, see <see cref="ArgumentCountErrors"/>)
    /// reads as <c>{}</c>, so <c>invoke("heartbeat")</c> works and other methods name the field they miss. A method whose
    /// request is one id names it in <paramref name="bareId"/>: <c>invoke("get_offer_details", 12)</c> then reads as
    /// <c>{"offer_id": 12}</c>, the shape a client of the seed's Socket.io server would send.
    /// </summary>
    public static T Read<T>(JsonElement arg, string example, string? bareId = null)
    {
        if (arg.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            arg = EmptyObject;
        }
        else if (arg.ValueKind == JsonValueKind.Number && bareId is not null)
        {
            arg = JsonSerializer.SerializeToElement(new Dictionary<string, JsonElement> { [bareId] = arg });
        }
        if (arg.ValueKind != JsonValueKind.Object)
        {
            throw new HubException($"This method takes one JSON object argument, like {example}.");
        }
        try
        {
            return arg.Deserialize<T>(ApiJson.Options) ?? throw new HubException($"The argument must look like {example}.");
        }
        catch (JsonException json)
        {
            throw new HubException($"{ErrorHandling.JsonMessage(json)} Expected {example}.");
        }
    }

    /// <summary><c>{}</c>, what a call without an argument (or with <c>null</c>) reads as.</summary>
    public static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    /// <summary>A required id: present and positive.</summary>
    public static T Required<T>(T? value, string field) where T : struct, IComparable<T> =>
        value is { } v && v.CompareTo(default) > 0 ? v : throw new HubException($"{field} is required: a positive integer.");

    /// <summary>Field errors from a use case's validation, in one readable line.</summary>
    public static HubException Invalid(IDictionary<string, string[]> errors) =>
        new($"Some fields are not valid: {string.Join(" ", errors.SelectMany(e => e.Value.Select(m => m.StartsWith(e.Key, StringComparison.Ordinal) ? m : $"{e.Key}: {m}")))}");
}
