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
}
