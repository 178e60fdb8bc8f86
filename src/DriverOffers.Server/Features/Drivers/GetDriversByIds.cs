using DriverOffers.Server.Common;
using DriverOffers.Server.Data;
using DriverOffers.Server.Features.Geo;
using DriverOffers.Server.Features.Presence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace DriverOffers.Server.Features.Drivers;

/// <summary>
/// GET /api/drivers/by-ids?ids=1,2,3: the named trucks (active or not), in the order asked; ids that name no truck
/// are listed in <c>missing_ids</c>.
/// </summary>
public static class GetDriversByIds
{
    public const int MaxIds = 500;

    public sealed record Response(IReadOnlyList<DriverResponse> Drivers, IReadOnlyList<int> MissingIds);

    public static async Task<Results<Ok<Response>, ValidationProblem>> Handle(string? ids, AppDb db, Gazetteer gazetteer, IPresence presence, CancellationToken ct)
    {
        var v = new Validation();
        var wanted = ParseIds(ids, v);
        if (!v.IsValid)
        {
            return Problems.Invalid(v);
        }
        var found = await db.TrucksWithIds([.. wanted]).AsNoTracking().ToDictionaryAsync(t => t.Id, ct);
        var online = await DriverResponse.PresenceOf(presence, found.Values);
        return TypedResults.Ok(new Response(
            [.. wanted.Where(found.ContainsKey).Select(id => DriverResponse.From(found[id], gazetteer).WithPresence(online))],
            [.. wanted.Where(id => !found.ContainsKey(id))]));
    }

    private static List<int> ParseIds(string? ids, Validation v)
    {
        const string rule = "ids must be 1 to 500 truck IDs (positive whole numbers) separated by commas, e.g. ids=107,120.";
        if (string.IsNullOrWhiteSpace(ids))
        {
            v.Add("ids", rule);
            return [];
        }
        // An empty entry (ids=1,,2 or a trailing comma) is refused rather than skipped: it usually means the client
        // joined a list with a hole in it, and silently answering for fewer trucks would hide that.
        var parts = ids.Split(',', StringSplitOptions.TrimEntries);
        var parsed = new List<int>(parts.Length);
        foreach (var part in parts)
        {
            if (part.Length == 0)
            {
                v.Add("ids", $"ids has an empty entry (two commas in a row, or one at either end). {rule}");
                return [];
            }
            if (!int.TryParse(part, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) || id <= 0)
            {
                v.Add("ids", $"'{(part.Length > 20 ? part[..20] + "…" : part)}' is not a truck ID. {rule}");
                return [];
            }
            parsed.Add(id);
        }
        var distinct = parsed.Distinct().ToList();
        v.Check(distinct.Count is >= 1 and <= MaxIds, "ids", rule);
        return distinct;
    }
}
