using System.Globalization;
using DriverOffers.Server.Features.Drivers;
using DriverOffers.Server.Features.Geo;

namespace DriverOffers.Server.Data;

/// <summary>
/// About 300 demo trucks spread over real US cities (coordinates from the gazetteer), generated from a fixed seed
/// so every demo database holds the same fleet. A few have only a CityStateZip (the server resolves them), a few
/// are inactive.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5394", Justification = "Demo data must be reproducible, not secret.")]
internal static class DemoTrucks
{
    public const int FirstId = 200;
    public const int Count = 300;
    private const int Seed = 20261125;

    private static readonly (string Status, int Weight)[] Statuses =
        [("Available", 40), ("On Load", 25), ("Off Duty", 12), ("Reserved", 8), ("Home Time", 6), ("In Shop", 5), ("Out of Service", 4)];

    private static readonly string[] Dimensions =
        ["53' Dry Van", "53' Dry Van", "53' Reefer", "48' Flatbed", "48' Step Deck", "26' Box Truck", "24' Box Truck", "Sprinter Van", "Cargo Van", "40' Hotshot"];

    private static readonly string[] FirstNames =
        ["James", "Maria", "Robert", "Aisha", "Miguel", "Linda", "David", "Olga", "Tyrone", "Jennifer", "Carlos", "Mei", "Dmitri",
         "Patricia", "Kwame", "Sarah", "Jose", "Emily", "Andre", "Fatima", "Brian", "Rosa", "Kevin", "Tanya", "Luis", "Nadia",
         "Marcus", "Heather", "Ivan", "Gloria", "Samuel", "Keisha", "Tomas", "Amanda", "Victor", "Lakshmi", "Derek", "Yolanda"];

    private static readonly string[] LastNames =
        ["Smith", "Johnson", "Garcia", "Williams", "Martinez", "Brown", "Nguyen", "Davis", "Rodriguez", "Wilson", "Lopez", "Kowalski",
         "Anderson", "Thomas", "Hernandez", "Moore", "Jackson", "Petrov", "Okafor", "Lee", "Walker", "Hall", "Young", "Allen",
         "Sanchez", "Wright", "King", "Scott", "Green", "Baker", "Adams", "Nelson", "Hill", "Ramirez", "Campbell", "Mitchell"];

    private static readonly string[] AreaCodes =
        ["205", "312", "317", "404", "414", "469", "502", "512", "602", "615", "630", "704", "713", "773", "801", "813", "817", "901", "909", "919"];

    private static readonly int[] Dispatchers = [18, 20, 22];

    public static IEnumerable<Truck> Generate(Gazetteer gazetteer, DateTime now)
    {
        var random = new Random(Seed);
        var cities = gazetteer.Cities(40_000);
        var phones = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Count; i++)
        {
            var id = FirstId + i;
            // Big cities more often, as in a real fleet: favour the front of the population-ordered list.
            var city = cities[(int)(Math.Pow(random.NextDouble(), 2) * cities.Count)];
            var first = FirstNames[random.Next(FirstNames.Length)];
            var last = LastNames[random.Next(LastNames.Length)];
            string phone;
            do
            {
                phone = $"({AreaCodes[random.Next(AreaCodes.Length)]}) {random.Next(201, 990)}-{random.Next(0, 10_000):D4}";
            }
            while (phone.Contains(" 555-", StringComparison.Ordinal) || !phones.Add(phone));
            var status = Pick(random, Statuses);
            var rate = (1.75m + random.Next(0, 30) * 0.05m).ToString("0.00", CultureInfo.InvariantCulture);
            var dims = Dimensions[random.Next(Dimensions.Length)];
            var dispatcher = Dispatchers[random.Next(Dispatchers.Length)];
            var active = i % 25 != 7;
            // Every 30th truck reports only its city, as many legacy rows do: the server resolves its position.
            var onlyCity = i % 30 == 11;
            var updatedAt = now.AddMinutes(-random.Next(5, 7 * 24 * 60));
            yield return new Truck(id, id.ToString(CultureInfo.InvariantCulture), status, $"{first} {last}", phone,
                $"{city.City}, {city.State}", dims, rate, $"{first}.{last}{id}@example.com".ToLowerInvariant(),
                onlyCity ? null : (decimal)Math.Round(city.Lat, 5), onlyCity ? null : (decimal)Math.Round(city.Lon, 5),
                dispatcher, active, updatedAt);
        }
    }

    private static string Pick(Random random, (string Value, int Weight)[] weighted)
    {
        var roll = random.Next(weighted.Sum(w => w.Weight));
        foreach (var (value, weight) in weighted)
        {
            if ((roll -= weight) < 0)
            {
                return value;
            }
        }
        return weighted[0].Value;
    }
}
