using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.AspNetCore.Routing.Template;

namespace DriverOffers.Server.Common;

/// <summary>
/// What <c>/api/…</c> answers when no route took the request. The catch-all fallback wins over routing's own 405, so
/// without this a known route called with the wrong method (<c>POST /api/chat/5/read</c>, which is a PUT) answered
/// "No such API route." Now that is a 405 with <c>Allow</c> naming the methods the route takes; only a path no route
/// has (or whose ids are not numbers, as for every route) is a 404.
/// </summary>
public static class UnknownApiRoute
{
    public static IResult Handle(HttpContext http, EndpointDataSource endpoints)
    {
        var path = http.Request.Path;
        var allowed = endpoints.Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IHttpMethodMetadata>() is { HttpMethods.Count: > 0 } && Matches(e.RoutePattern, path))
            .SelectMany(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        if (allowed.Count == 0 || allowed.Contains(http.Request.Method, StringComparer.OrdinalIgnoreCase))
        {
            return Results.Problem("No such API route.", statusCode: StatusCodes.Status404NotFound);
        }
        http.Response.Headers.Allow = string.Join(", ", allowed);
        return Results.Problem($"{path} takes {string.Join(", ", allowed)}, not {http.Request.Method} (see docs/protocol.md).",
            statusCode: StatusCodes.Status405MethodNotAllowed, title: "Method not allowed.");
    }

    private static bool Matches(RoutePattern pattern, PathString path)
    {
        if (pattern.RawText is null || pattern.Parameters.Any(p => p.IsCatchAll))
        {
            return false;
        }
        var values = new RouteValueDictionary();
        if (!new TemplateMatcher(TemplateParser.Parse(pattern.RawText), new RouteValueDictionary()).TryMatch(path, values))
        {
            return false;
        }
        // The routes' only constraints are whole numbers; a path whose id is not one matches no route (404, as for GET).
        return pattern.Parameters.All(p => p.ParameterPolicies.All(policy => policy.Content switch
        {
            "int" => int.TryParse(values[p.Name]?.ToString(), out _),
            "long" => long.TryParse(values[p.Name]?.ToString(), out _),
            _ => true,
        }));
    }
}
