using DriverOffers.Server.Features.Auth;
using DriverOffers.Server.Features.Drivers;
using DriverOffers.Server.Features.Geo;
using Microsoft.EntityFrameworkCore;

namespace DriverOffers.Server.Data;

/// <summary>
/// Demo data for standalone mode: the seed's users and trucks, about 300 more trucks over real US cities
/// (<see cref="DemoTrucks"/>) and three offers mid-negotiation (<see cref="DemoOffers"/>), so the first screen is never empty.
/// </summary>
public static class DemoData
{
    public const string Password = "demo-password";

    public static async Task SeedIfEmptyAsync(AppDb db, ILogger log, CancellationToken ct)
    {
        if (await db.Users.AnyAsync(ct) || await db.Trucks.AnyAsync(ct))
        {
            return;
        }
        var now = DateTime.UtcNow;
        var hash = User.HashLikePhp(Password);
        db.Users.AddRange(
            new User(15, "vladyslav", "vladyslav@example.com", hash, "Vladyslav", "(312) 555-0115", User.Admin, true, now),
            new User(18, "carl.banks", "carl.banks@example.com", hash, "Carl Banks", "(312) 555-0118", User.Dispatcher, true, now),
            new User(20, "leo.durand", "leo.durand@example.com", hash, "Leo Durand", "(312) 555-0120", User.Dispatcher, true, now),
            new User(21, "michael", "michael@example.com", hash, "Michael", "(312) 555-0121", User.Admin, true, now),
            new User(22, "jacob.foster", "jacob.foster@example.com", hash, "Jacob Foster", "(312) 555-0122", User.Dispatcher, true, now));
        db.Trucks.AddRange(
            new Truck(107, "107", "Available", "Nwee Ler", "(779) 513-2475", "Rockford, IL", "53' Dry Van", "2.10", "nwee.ler@example.com", 42.2711m, -89.0940m, 18, true, now),
            new Truck(120, "120", "Available", "Rodney Bowles", "(631) 994-0587", "Weehawken, NJ", "26' Box Truck", "2.35", "rodney.bowles@example.com", 40.7695m, -74.0204m, 18, true, now),
            new Truck(122, "122", "Available", "Hebert Rodriguez", "(615) 930-4098", "Smyrna, TN", "Sprinter Van", "1.90", "hebert.rodriguez@example.com", 35.9828m, -86.5186m, 20, true, now));
        db.Trucks.AddRange(DemoTrucks.Generate(Gazetteer.Default, now));
        await db.SaveChangesAsync(ct);
        var names = db.Trucks.Local.ToDictionary(t => t.Id, t => t.DriverName ?? $"truck {t.TruckNumber}");
        await new DemoOffers(db, Gazetteer.Default, now).AddAsync(names, ct);
        if (log.IsEnabled(LogLevel.Information))
        {
            log.LogInformation("Demo data added: 5 users, {Trucks} trucks and 3 offers.", names.Count);
        }
    }
}
