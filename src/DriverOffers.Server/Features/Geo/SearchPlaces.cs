using DriverOffers.Server.Common;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DriverOffers.Server.Features.Geo;

/// <summary>GET /api/geo/search?q=&amp;limit=: autocomplete for US cities and ZIP codes, from the offline gazetteer.</summary>
public static class SearchPlaces
{
    public const int DefaultLimit = 10;
    public const int MaxLimit = 25;
    public const int MaxQueryLength = 100;

    /// <summary><c>kind</c> is <c>city</c> (zip null, the city centre) or <c>zip</c> (the ZIP's centroid).</summary>
    public sealed record Result(string Label, string City, string State, string? Zip, double Lat, double Lon, string Kind);

    public sealed record Response(IReadOnlyList<Result> Results);

    public static Results<Ok<Response>, ValidationProblem> Handle(string? q, string? limit, Gazetteer gazetteer)
    {
        var v = new Validation();
        var text = v.Text(q, "q", 1, MaxQueryLength);
        var max = DefaultLimit;
        if (limit is not null)
        {
            v.Check(int.TryParse(limit, out max) && max is >= 1 and <= MaxLimit, "limit", Validation.LimitRule(MaxLimit, DefaultLimit));
        }
        if (!v.IsValid)
        {
            return Problems.Invalid(v);
        }
        var results = gazetteer.Search(text!, max)
            .Select(p => new Result(p.Label, p.City, p.State, p.Zip, p.Lat, p.Lon, p.IsZip ? "zip" : "city"))
            .ToList();
        return TypedResults.Ok(new Response(results));
    }
}
