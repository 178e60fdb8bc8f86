using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace DriverOffers.Server.Common;

/// <summary>
/// Amounts (rates, weights, miles) are written without trailing zeros: <c>1500</c>, <c>1500.5</c>. A decimal keeps the
/// scale it was read with, so the same offer came back as <c>1500</c> from the POST that created it, <c>1500.0</c> from
/// SQLite and <c>1500.00</c> from MariaDB and PostgreSQL's decimal(12,2) columns: a whole number to one client and a
/// float to the next (decision 118). Reading is the framework's own, so wrong types are refused as before.
/// </summary>
public sealed class DecimalConverter : JsonConverter<decimal>
{
    // Dividing by one written with 28 decimal places drops a decimal's trailing zeros without changing its value.
    private const decimal One = 1.0000000000000000000000000000m;

    public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        JsonMetadataServices.DecimalConverter.Read(ref reader, typeToConvert, options);

    public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options) =>
        writer.WriteNumberValue(Normalize(value));

    public static decimal Normalize(decimal value) => value / One;

    /// <summary>The API reference would describe a type with its own converter as "anything"; amounts are numbers.</summary>
    public static void DescribeAsNumber(OpenApiOptions options) =>
        options.AddSchemaTransformer((schema, context, _) =>
        {
            var type = context.JsonTypeInfo.Type;
            if (type == typeof(decimal) || type == typeof(decimal?))
            {
                schema.Type = type == typeof(decimal) ? JsonSchemaType.Number : JsonSchemaType.Number | JsonSchemaType.Null;
                schema.Format = "double";
            }
            return Task.CompletedTask;
        });
}
