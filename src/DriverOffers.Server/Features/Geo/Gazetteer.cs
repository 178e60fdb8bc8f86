using System.Globalization;
using System.IO.Compression;

namespace DriverOffers.Server.Features.Geo;

/// <summary>
/// The offline US gazetteer (Features/Geo/us-places.tsv.gz, built by tools/gazetteer): about 34k cities and
/// 42k ZIP codes, loaded once and searched in memory. Names are indexed by every word start in one sorted
/// array, so a prefix is a binary search; ZIPs are a sorted array too.
/// </summary>
public sealed class Gazetteer
{
    public const string ResourceName = "DriverOffers.Server.Features.Geo.us-places.tsv.gz";

    private static readonly Lazy<Gazetteer> Embedded = new(() =>
    {
        using var stream = typeof(Gazetteer).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource {ResourceName} is missing.");
        return Load(stream);
    });

    private readonly Place[] _places;
    private readonly Zip[] _zips;
    private readonly NameKey[] _keys;
    /// <summary>Places by size (population, then ZIP count, then name): search ranks within a tier by this.</summary>
    private readonly int[] _rank;
    private readonly int[] _byRank;
    private readonly Dictionary<(string Name, string State), int> _byNameAndState = [];
    /// <summary>Canonical name → the one place of that name, or <see cref="Ambiguous"/> (Resolve only uses unique names).</summary>
    private readonly Dictionary<string, int> _byName = new(StringComparer.Ordinal);
    private const int Ambiguous = -1;

    /// <summary>The gazetteer shipped inside the server.</summary>
    public static Gazetteer Default => Embedded.Value;

    public int PlaceCount => _places.Length;
    public int ZipCount => _zips.Length;

    private Gazetteer(Place[] places, Zip[] zips)
    {
        _places = places;
        _zips = zips;
        foreach (var z in zips)
        {
            places[z.Place].ZipCount++;
        }
        var keys = new List<NameKey>(places.Length * 2);
        for (var i = 0; i < places.Length; i++)
        {
            var canonical = GeoText.Canonical(GeoText.Normalize(places[i].Name));
            _byNameAndState.TryAdd((canonical, places[i].State), i);
            _byName[canonical] = _byName.ContainsKey(canonical) ? Ambiguous : i;
            AddWordStarts(keys, canonical, i);
            if (GeoText.Abbreviated(canonical) is var abbreviated && abbreviated != canonical)
            {
                AddWordStarts(keys, abbreviated, i);
            }
        }
        keys.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        _keys = [.. keys];
        _byRank = [.. Enumerable.Range(0, places.Length)
            .OrderByDescending(i => places[i].Population).ThenByDescending(i => places[i].ZipCount)
            .ThenBy(i => places[i].Name, StringComparer.Ordinal).ThenBy(i => places[i].State, StringComparer.Ordinal)];
        _rank = new int[places.Length];
        for (var r = 0; r < _byRank.Length; r++)
        {
            _rank[_byRank[r]] = r;
        }
    }

    public static Gazetteer Load(Stream gzip)
    {
        using var reader = new StreamReader(new GZipStream(gzip, CompressionMode.Decompress), System.Text.Encoding.UTF8);
        var places = new List<Place>(40_000);
        var zips = new List<Zip>(45_000);
        // 34k places share ~60 state codes: one string each instead of one per row.
        var states = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            var f = line.Split('\t');
            switch (f[0])
            {
                case "P":
                    var state = states.TryGetValue(f[2], out var known) ? known : states[f[2]] = f[2];
                    places.Add(new Place(f[1], state, Number(f[3]), Number(f[4]), int.Parse(f[5], CultureInfo.InvariantCulture)));
                    break;
                case "Z":
                    zips.Add(new Zip(f[1], int.Parse(f[2], CultureInfo.InvariantCulture), Number(f[3]), Number(f[4])));
                    break;
            }
        }
        zips.Sort((a, b) => string.CompareOrdinal(a.Code, b.Code));
        return new Gazetteer([.. places], [.. zips]);
    }

    /// <summary>
    /// Autocomplete: ZIPs for digits, else cities whose name (or a later word of it) starts with the text.
    /// Exact names first, then name prefixes, then later-word prefixes; bigger places first within each.
    /// </summary>
    public IReadOnlyList<GeoPlace> Search(string text, int limit)
    {
        var query = PlaceQuery.Parse(text);
        var found = Search(query, limit);
        return found.Count == 0 && query.WithoutState is { } whole ? Search(whole, limit) : found;
    }

    /// <summary>
    /// Coordinates for a truck's <c>CityStateZip</c> ("Rockford, IL", "Smyrna, TN 37167", "61101"): the ZIP's centroid
    /// when the ZIP is known (and in the named state), else the named city. Without a state, only a city name that
    /// exists in one state resolves: guessing the wrong Springfield is worse than no position.
    /// </summary>
    public GeoPlace? Resolve(string? cityStateZip)
    {
        if (string.IsNullOrWhiteSpace(cityStateZip) || cityStateZip.Length > 200)
        {
            return null;
        }
        var query = PlaceQuery.Parse(cityStateZip);
        if (query.Zip is { Length: 5 } code && FindZip(code) is { } zip && (query.States is null || query.States.Contains(zip.State)))
        {
            return zip;
        }
        var name = GeoText.Canonical(query.Name);
        if (query.States is not null)
        {
            if (query.States.Count == 1 && _byNameAndState.TryGetValue((name, query.States.First()), out var i))
            {
                return City(i);
            }
            if (query.WithoutState is null)
            {
                return null;
            }
            name = GeoText.Canonical(query.WithoutState.Name);
        }
        return _byName.TryGetValue(name, out var only) && only != Ambiguous ? City(only) : null;
    }

    public GeoPlace? FindZip(string code)
    {
        var i = LowerBound(_zips, code, z => z.Code);
        return i < _zips.Length && _zips[i].Code == code ? ZipPlace(_zips[i]) : null;
    }

    /// <summary>Cities with at least <paramref name="minPopulation"/> inhabitants, biggest first (e.g. for demo data).</summary>
    public IReadOnlyList<GeoPlace> Cities(int minPopulation) =>
        [.. Enumerable.Range(0, _places.Length).Where(i => _places[i].Population >= minPopulation)
            .OrderByDescending(i => _places[i].Population).ThenBy(i => i).Select(City)];

    private List<GeoPlace> Search(PlaceQuery query, int limit)
    {
        var results = new List<GeoPlace>(limit);
        if (query.Zip is { } zip && (query.ZipIsPrefix || query.Name.Length == 0))
        {
            // Digits alone: ZIP autocomplete, in ZIP order.
            for (var i = LowerBound(_zips, zip, z => z.Code); i < _zips.Length && results.Count < limit && _zips[i].Code.StartsWith(zip, StringComparison.Ordinal); i++)
            {
                if (query.States is null || query.States.Contains(_places[_zips[i].Place].State))
                {
                    results.Add(ZipPlace(_zips[i]));
                }
            }
            if (query.Name.Length == 0)
            {
                return results;
            }
        }
        else if (query.Zip is { } exact && FindZip(exact) is { } z && (query.States is null || query.States.Contains(z.State)))
        {
            results.Add(z);
        }
        foreach (var i in MatchingPlaces(query).Take(limit - results.Count))
        {
            results.Add(City(i));
        }
        return results;
    }

    private IEnumerable<int> MatchingPlaces(PlaceQuery query)
    {
        if (query.Name.Length == 0)
        {
            return [];
        }
        // score = tier × places + rank: one number orders by tier, then size; it also names the place.
        var scores = new List<long>();
        for (var k = LowerBound(_keys, query.Name, x => x.Key); k < _keys.Length && _keys[k].Key.StartsWith(query.Name, StringComparison.Ordinal); k++)
        {
            var key = _keys[k];
            if (query.States is null || query.States.Contains(_places[key.Place].State))
            {
                var tier = !key.IsNameStart ? 2 : key.Key.Length == query.Name.Length ? 0 : 1;
                scores.Add(((long)tier * _places.Length) + _rank[key.Place]);
            }
        }
        scores.Sort();
        // A place can match through several keys (St./Saint, several words); its best tier comes first.
        return scores.Select(s => _byRank[(int)(s % _places.Length)]).Distinct();
    }

    private GeoPlace City(int i) => new(_places[i].Name, _places[i].State, null, _places[i].Lat, _places[i].Lon, _places[i].Population);

    private GeoPlace ZipPlace(Zip z) => new(_places[z.Place].Name, _places[z.Place].State, z.Code, z.Lat, z.Lon, _places[z.Place].Population);

    private static void AddWordStarts(List<NameKey> keys, string name, int place)
    {
        for (var start = 0; start >= 0; start = name.IndexOf(' ', start) is var space and >= 0 ? space + 1 : -1)
        {
            keys.Add(new NameKey(name[start..], place, start == 0));
        }
    }

    private static int LowerBound<T>(T[] sorted, string value, Func<T, string> key)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (string.CompareOrdinal(key(sorted[mid]), value) < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        return lo;
    }

    private static double Number(string s) => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);

    private sealed class Place(string name, string state, double lat, double lon, int population)
    {
        public string Name { get; } = name;
        public string State { get; } = state;
        public double Lat { get; } = lat;
        public double Lon { get; } = lon;
        public int Population { get; } = population;
        public int ZipCount { get; set; }
    }

    private readonly record struct Zip(string Code, int Place, double Lat, double Lon);

    private readonly record struct NameKey(string Key, int Place, bool IsNameStart);
}
