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

    /// <summary>Place names as shipped ("Rockford"); everything else about place i is at index i of the arrays below.</summary>
    private readonly string[] _names;
    private readonly Place[] _places;
    /// <summary>The ~60 state codes, each one string; <see cref="Place.State"/> indexes it.</summary>
    private readonly string[] _states;
    /// <summary>ZIP codes as numbers, sorted: 5-digit codes order the same as their text, and a prefix is a range.</summary>
    private readonly Zip[] _zips;
    /// <summary>
    /// Comparison spellings: the canonical name of place i at index i (lower case, abbreviations written out), then the
    /// abbreviated spellings of the few places that have one (their places in <see cref="_abbreviatedPlace"/>).
    /// </summary>
    private readonly string[] _spellings;
    private readonly int[] _abbreviatedPlace;
    /// <summary>Every word start of every spelling, sorted by the text from there on: a prefix is a binary search.</summary>
    private readonly NameKey[] _keys;
    /// <summary>Places sorted by canonical name, then by their order in the file (the exact look-ups of Resolve).</summary>
    private readonly int[] _byName;
    /// <summary>Places by size (population, then ZIP count, then name): search ranks within a tier by this.</summary>
    private readonly int[] _rank;
    private readonly int[] _byRank;

    /// <summary>The gazetteer shipped inside the server.</summary>
    public static Gazetteer Default => Embedded.Value;

    public int PlaceCount => _places.Length;
    public int ZipCount => _zips.Length;

    /// <remarks>
    /// Kept compact (about 5 MB where strings and objects per place, ZIP and name key were 11 MB): the gazetteer is
    /// live for the life of the process (docs/decisions/086-connection-memory-fifth-pass.md).
    /// </remarks>
    private Gazetteer(string[] names, Place[] places, string[] states, Zip[] zips)
    {
        _names = names;
        _places = places;
        _states = states;
        _zips = zips;
        var zipCounts = new int[places.Length];
        foreach (var z in zips)
        {
            zipCounts[z.Place]++;
        }
        var spellings = new List<string>(places.Length + 1_000);
        var abbreviatedPlace = new List<int>();
        for (var i = 0; i < places.Length; i++)
        {
            spellings.Add(GeoText.Canonical(GeoText.Normalize(names[i])));
        }
        for (var i = 0; i < places.Length; i++)
        {
            if (GeoText.Abbreviated(spellings[i]) is var abbreviated && abbreviated != spellings[i])
            {
                spellings.Add(abbreviated);
                abbreviatedPlace.Add(i);
            }
        }
        _spellings = [.. spellings];
        _abbreviatedPlace = [.. abbreviatedPlace];

        var keys = new List<NameKey>(_spellings.Length * 2);
        for (var s = 0; s < _spellings.Length; s++)
        {
            for (var start = 0; start >= 0; start = _spellings[s].IndexOf(' ', start) is var space and >= 0 ? space + 1 : -1)
            {
                keys.Add(new NameKey(s, start));
            }
        }
        _keys = [.. keys];
        Array.Sort(_keys, (a, b) => KeyText(a).SequenceCompareTo(KeyText(b)));

        _byName = [.. Enumerable.Range(0, places.Length)];
        Array.Sort(_byName, (a, b) => string.CompareOrdinal(_spellings[a], _spellings[b]) is var c and not 0 ? c : a.CompareTo(b));

        _byRank = [.. Enumerable.Range(0, places.Length)
            .OrderByDescending(i => places[i].Population).ThenByDescending(i => zipCounts[i])
            .ThenBy(i => names[i], StringComparer.Ordinal).ThenBy(i => states[places[i].State], StringComparer.Ordinal)];
        _rank = new int[places.Length];
        for (var r = 0; r < _byRank.Length; r++)
        {
            _rank[_byRank[r]] = r;
        }
    }

    public static Gazetteer Load(Stream gzip)
    {
        using var reader = new StreamReader(new GZipStream(gzip, CompressionMode.Decompress), System.Text.Encoding.UTF8);
        var names = new List<string>(40_000);
        var places = new List<Place>(40_000);
        var zips = new List<Zip>(45_000);
        var states = new List<string>();
        var stateIndex = new Dictionary<string, byte>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            var f = line.Split('\t');
            switch (f[0])
            {
                case "P":
                    if (!stateIndex.TryGetValue(f[2], out var state))
                    {
                        state = stateIndex[f[2]] = checked((byte)states.Count);
                        states.Add(f[2]);
                    }
                    names.Add(f[1]);
                    places.Add(new Place(Number(f[3]), Number(f[4]), int.Parse(f[5], CultureInfo.InvariantCulture), state));
                    break;
                case "Z":
                    var code = ZipNumber(f[1]) ?? throw new InvalidDataException($"Not a 5-digit ZIP code: {f[1]}");
                    zips.Add(new Zip(code, int.Parse(f[2], CultureInfo.InvariantCulture), Number(f[3]), Number(f[4])));
                    break;
            }
        }
        zips.Sort((a, b) => a.Code.CompareTo(b.Code));
        return new Gazetteer([.. names], [.. places], [.. states], [.. zips]);
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
            if (query.States.Count == 1 && FirstNamed(name, query.States.First()) is { } i)
            {
                return City(i);
            }
            if (query.WithoutState is null)
            {
                return null;
            }
            name = GeoText.Canonical(query.WithoutState.Name);
        }
        return OnlyNamed(name) is { } only ? City(only) : null;
    }

    public GeoPlace? FindZip(string code)
    {
        if (ZipNumber(code) is not { } number)
        {
            return null;
        }
        var i = ZipLowerBound(number);
        return i < _zips.Length && _zips[i].Code == number ? ZipPlace(_zips[i]) : null;
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
            // Digits alone: ZIP autocomplete, in ZIP order. The codes starting with "371" are 37100-37199.
            var scale = (int)Math.Pow(10, 5 - zip.Length);
            var prefix = int.Parse(zip, CultureInfo.InvariantCulture);
            var (first, end) = (prefix * scale, (prefix + 1) * scale);
            for (var i = ZipLowerBound(first); i < _zips.Length && results.Count < limit && _zips[i].Code < end; i++)
            {
                if (query.States is null || query.States.Contains(StateOf(_zips[i].Place)))
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
        for (var k = KeyLowerBound(query.Name); k < _keys.Length && KeyText(_keys[k]).StartsWith(query.Name, StringComparison.Ordinal); k++)
        {
            var key = _keys[k];
            var place = PlaceOf(key);
            if (query.States is null || query.States.Contains(StateOf(place)))
            {
                var tier = key.Start != 0 ? 2 : KeyText(key).Length == query.Name.Length ? 0 : 1;
                scores.Add(((long)tier * _places.Length) + _rank[place]);
            }
        }
        scores.Sort();
        // A place can match through several keys (St./Saint, several words); its best tier comes first.
        return scores.Select(s => _byRank[(int)(s % _places.Length)]).Distinct();
    }

    /// <summary>The first place (in file order) with this canonical name in this state.</summary>
    private int? FirstNamed(string canonical, string state)
    {
        for (var n = NameLowerBound(canonical); n < _byName.Length && _spellings[_byName[n]] == canonical; n++)
        {
            if (StateOf(_byName[n]) == state)
            {
                return _byName[n];
            }
        }
        return null;
    }

    /// <summary>The one place with this canonical name, or null when there is none or several.</summary>
    private int? OnlyNamed(string canonical)
    {
        var n = NameLowerBound(canonical);
        var found = n < _byName.Length && _spellings[_byName[n]] == canonical;
        var more = n + 1 < _byName.Length && _spellings[_byName[n + 1]] == canonical;
        return found && !more ? _byName[n] : null;
    }

    private GeoPlace City(int i) => new(_names[i], StateOf(i), null, _places[i].Lat, _places[i].Lon, _places[i].Population);

    private GeoPlace ZipPlace(Zip z) =>
        new(_names[z.Place], StateOf(z.Place), z.Code.ToString("D5", CultureInfo.InvariantCulture), z.Lat, z.Lon, _places[z.Place].Population);

    private string StateOf(int place) => _states[_places[place].State];

    private int PlaceOf(NameKey key) => key.Spelling < _places.Length ? key.Spelling : _abbreviatedPlace[key.Spelling - _places.Length];

    private ReadOnlySpan<char> KeyText(NameKey key) => _spellings[key.Spelling].AsSpan(key.Start);

    private int KeyLowerBound(string value) => LowerBound(_keys.Length, k => KeyText(_keys[k]).SequenceCompareTo(value));

    private int NameLowerBound(string value) => LowerBound(_byName.Length, n => string.CompareOrdinal(_spellings[_byName[n]], value));

    private int ZipLowerBound(int code) => LowerBound(_zips.Length, i => _zips[i].Code.CompareTo(code));

    /// <summary>The first index whose entry is not below the value (<paramref name="compare"/>: entry vs value).</summary>
    private static int LowerBound(int length, Func<int, int> compare)
    {
        int lo = 0, hi = length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (compare(mid) < 0)
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

    /// <summary>A 5-digit ZIP code as a number, else null.</summary>
    private static int? ZipNumber(string code) =>
        code.Length == 5 && code.All(char.IsAsciiDigit) ? int.Parse(code, CultureInfo.InvariantCulture) : null;

    private static double Number(string s) => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);

    private readonly record struct Place(double Lat, double Lon, int Population, byte State);

    private readonly record struct Zip(int Code, int Place, double Lat, double Lon);

    /// <summary>The text of spelling <see cref="Spelling"/> from <see cref="Start"/> on; a name start when 0.</summary>
    private readonly record struct NameKey(int Spelling, int Start);
}
