using System.Text.Json;
using Microsoft.AspNetCore.Http.Metadata;

namespace DriverOffers.Server.Common;

/// <summary>
/// Routes that read a JSON body answer a missing body and a wrong content type themselves, through ErrorHandling.
/// By default the framework declares the body's content type to routing, and routing then skips the route for any
/// other content type: with the <c>/api/{**rest}</c> fallback in place, a <c>text/plain</c> login was a 404
/// "No such API route." instead of a 415. Without that declaration the route is chosen and its handler, which checks
/// the content type anyway, refuses it as a 415 naming application/json.
/// </summary>
public static class JsonBody
{
    /// <summary>What took the place of the framework's declaration: the body's type, to describe it in errors.</summary>
    public sealed record Metadata(Type RequestType);

    public static TBuilder ContentTypeCheckedByHandler<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        // Finally: the framework adds its declaration after ordinary conventions run.
        builder.Finally(endpoint =>
        {
            var declared = endpoint.Metadata.OfType<IAcceptsMetadata>().ToList();
            if (declared.LastOrDefault() is not { RequestType: { } type } accepts || !accepts.ContentTypes.Contains("application/json"))
            {
                return;
            }
            foreach (var item in declared)
            {
                endpoint.Metadata.Remove(item);
            }
            endpoint.Metadata.Add(new Metadata(type));
        });
        return builder;
    }

    /// <summary>"a JSON object with username, password": the body's fields by their wire names.</summary>
    public static string Describe(Type requestType, JsonSerializerOptions options)
    {
        var info = options.GetTypeInfo(requestType);
        return info.Kind == System.Text.Json.Serialization.Metadata.JsonTypeInfoKind.Object && info.Properties.Count > 0
            ? $"a JSON object with {string.Join(", ", info.Properties.Select(p => p.Name))}"
            : "a JSON object";
    }

    /// <summary>"a number", "a whole number", "text", "true or false", "a list of whole numbers": what the field named by
    /// <paramref name="path"/> (<c>$.driver_ids[1]</c> names driver_ids) takes, or null when that can't be told.</summary>
    public static string? ExpectedKind(Type requestType, JsonSerializerOptions options, string? path)
    {
        var name = path?.TrimStart('$', '.').Split('[', '.')[0];
        var info = options.GetTypeInfo(requestType);
        var type = info.Kind == System.Text.Json.Serialization.Metadata.JsonTypeInfoKind.Object
            ? info.Properties.FirstOrDefault(p => p.Name == name)?.PropertyType
            : null;
        return type is null ? null : Kind(Nullable.GetUnderlyingType(type) ?? type);
    }

    private static string? Kind(Type type) =>
        type == typeof(string) ? "text (a JSON string)"
        : type == typeof(bool) ? "true or false"
        : type == typeof(int) || type == typeof(long) ? "a whole number"
        : type == typeof(decimal) || type == typeof(double) || type == typeof(float) ? "a number"
        : ListOf(type) is { } item && Kind(item) is { } each ? (each == "a whole number" ? "a list of whole numbers, e.g. [107, 120]" : $"a list of {each}")
        : null;

    private static Type? ListOf(Type type) =>
        type.IsArray ? type.GetElementType()
        : type.IsGenericType && typeof(System.Collections.IEnumerable).IsAssignableFrom(type) ? type.GetGenericArguments()[0]
        : null;
}
