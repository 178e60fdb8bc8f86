using DriverOffers.Server.Data;
using DriverOffers.Server.Features.Auth;
using DriverOffers.Server.Features.Offers;
using DriverOffers.Server.Features.Outbox;
using DriverOffers.Server.Features.Proposals;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DriverOffers.Tests.Infrastructure;

/// <summary>Rows as the offers feature writes them when it sends an offer to a driver, for tests of sign-in and the outbox.</summary>
public static class DriverData
{
    public const int Nwee = 107;
    public const string NweePhone = "(779) 513-2475";
    public const int Rodney = 120;

    public static async Task<int> AddOffer(this ServerFixture server, int createdBy)
    {
        using var scope = server.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        var offer = Offer.Create(createdBy, new OfferDetails("Rockford, IL", 42.27, -89.09, "Dallas, TX", 32.78, -96.8,
            null, null, null, null, 12000, "48x40", 940, 2100, "Test load"), autoBook: false, expiresAt: null, DateTime.UtcNow);
        db.Offers.Add(offer);
        await db.SaveChangesAsync();
        return offer.Id;
    }

    /// <summary>The truck's invitation to the offer (made if missing) and the code of its link, as a send signs it.</summary>
    public static async Task<string> AddOfferLink(this ServerFixture server, int truckId, int offerId, TimeSpan? lifetime = null, DateTime? createdAt = null)
    {
        using var scope = server.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        var at = createdAt ?? DateTime.UtcNow;
        if (!await db.Proposals.AnyAsync(p => p.OfferId == offerId && p.DriverId == truckId))
        {
            db.Proposals.Add(Proposal.Send(offerId, truckId, at));
            await db.SaveChangesAsync();
        }
        return server.Services.GetRequiredService<OfferLinks>().Issue(offerId, truckId, at + (lifetime ?? TimeSpan.FromHours(72)));
    }

    /// <summary>A stored offer-link code, as links were made before they were signed; returns the plain code.</summary>
    public static async Task<string> AddStoredOfferLink(this ServerFixture server, int truckId, int offerId)
    {
        using var scope = server.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        var (code, plain) = DriverAccessCode.ForOfferLink(truckId, offerId, TimeSpan.FromHours(72), DateTime.UtcNow);
        db.DriverAccessCodes.Add(code);
        await db.SaveChangesAsync();
        return plain;
    }

    public static async Task<int> AddOutbox(this ServerFixture server, string channel, string recipient, int? truckId, int? offerId, string body, string? link = null)
    {
        using var scope = server.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        var row = OutboxMessage.Create(channel, recipient, truckId, offerId, "Load offer", body, link, DateTime.UtcNow);
        db.Outbox.Add(row);
        await db.SaveChangesAsync();
        return row.Id;
    }

    public static OutboxMessage Outbox(this ServerFixture server, int id) =>
        server.Scoped(db => db.Outbox.AsNoTracking().Single(m => m.Id == id));

    /// <summary>The code in the newest sign-in text queued for a truck (the outbox holds it until a sender delivers it).</summary>
    public static string LatestSignInCode(this ServerFixture server, int truckId) =>
        server.Scoped(db => db.Outbox.AsNoTracking().Where(m => m.TruckId == truckId && m.OfferId == null)
            .OrderByDescending(m => m.Id).First().Body[..6]);

    /// <summary>Polls until the condition holds (background delivery), failing after the timeout.</summary>
    public static async Task Eventually(Func<Task<bool>> condition, string what, int timeoutMs = 30_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting for: {what}");
            }
            await Task.Delay(25);
        }
    }

    public static Task Eventually(Func<bool> condition, string what, int timeoutMs = 30_000) =>
        Eventually(() => Task.FromResult(condition()), what, timeoutMs);
}
