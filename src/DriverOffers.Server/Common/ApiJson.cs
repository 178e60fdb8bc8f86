using System.Text.Json;
using System.Text.Json.Serialization;

namespace DriverOffers.Server.Common;

/// <summary>One JSON shape for REST and the hub: snake_case names, and unknown or repeated properties refused so a
/// client can never slip in fields such as status, created_by or sender_id.</summary>
public static class ApiJson
{
    public static void Configure(JsonSerializerOptions o)
    {
        o.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        o.DictionaryKeyPolicy = null;
        o.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        // {"rate": 100, "rate": 5000} means two things; refused instead of quietly taking the last.
        o.AllowDuplicateProperties = false;
        o.NumberHandling = JsonNumberHandling.Strict;
        o.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        o.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        o.Converters.Add(new TimestampConverter());
        o.Converters.Add(new DecimalConverter());
    }

    public static readonly JsonSerializerOptions Options = Create();

    private static JsonSerializerOptions Create()
    {
        var o = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Configure(o);
        return o;
    }
}
