using System.Runtime.CompilerServices;
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
    private sealed record Route(RoutePattern Pattern, TemplateMatcher Matcher, IReadOnlyList<string> Methods);

    /// <summary>The routes' templates, parsed on the first unknown request and kept with the endpoint list they came from
    /// (routing hands out a new list if its endpoints ever change; several servers in one process have one each).</summary>
    private static readonly ConditionalWeakTable<IReadOnlyList<Endpoint>, Route[]> Parsed = [];

    public static IResult Handle(HttpContext http, EndpointDataSource endpoints)
    {
        var path = http.Request.Path;
        var allowed = Parsed.GetValue(endpoints.Endpoints, Parse)
            .Where(r => Matches(r, path))
            .SelectMany(r => r.Methods)
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

    /// <summary>The routes a method can be wrong for: those with methods and a template, catch-alls (this fallback) left out.</summary>
    private static Route[] Parse(IReadOnlyList<Endpoint> endpoints) =>
    [
        .. endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IHttpMethodMetadata>() is { HttpMethods.Count: > 0 } &&
                        e.RoutePattern.RawText is not null && !e.RoutePattern.Parameters.Any(p => p.IsCatchAll))
            .Select(e => new Route(e.RoutePattern,
                new TemplateMatcher(TemplateParser.Parse(e.RoutePattern.RawText!), new RouteValueDictionary()),
                e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods)),
    ];

    private static bool Matches(Route route, PathString path)
    {
        var values = new RouteValueDictionary();
        if (!route.Matcher.TryMatch(path, values))
        {
            return false;
        }
        // The routes' only constraints are whole numbers; a path whose id is not one matches no route (404, as for GET).
        return route.Pattern.Parameters.All(p => p.ParameterPolicies.All(policy => policy.Content switch
        {
            "int" => int.TryParse(values[p.Name]?.ToString(), out _),
            "long" => long.TryParse(values[p.Name]?.ToString(), out _),
            _ => true,
        }));
    }
}
