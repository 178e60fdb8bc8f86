using DriverOffers.Server.Features.Auth;
using DriverOffers.Server.Features.Offers;
using DriverOffers.Server.Features.Proposals;
using DriverOffers.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace DriverOffers.Tests.Realtime;

/// <summary>A signed-in hub client and what it received.</summary>
public sealed record Client(string Token, HubConnection Hub, EventLog Events) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => Hub.DisposeAsync();
}

/// <summary>Demo people (DemoData): dispatchers carl.banks (18) and leo.durand (20), admin vladyslav (15);
/// trucks 107, 120 (Carl's) and 122.</summary>
public static class HubKit
{
    public const int Carl = 18;
    public const int Leo = 20;
    public const int Vladyslav = 15;

    public static async Task<string> DispatcherToken(this ServerFixture server, string username) =>
        ServerFixture.TokenOf(await server.LoginAs(username));

    /// <summary>A driver token minted by the server's own token service (the same kind the code exchange returns).</summary>
    public static string DriverToken(this ServerFixture server, int truckId) =>
        server.Services.GetRequiredService<TokenService>().ForDriver(truckId, $"Driver {truckId}").Token;

    public static async Task<Client> Connect(this ServerFixture server, string token)
    {
        var hub = await server.Hub(token);
        return new Client(token, hub, EventLog.Attach(hub));
    }

    public static async Task<Client> Dispatcher(this ServerFixture server, string username) =>
        await server.Connect(await server.DispatcherToken(username));

    public static Task<Client> Driver(this ServerFixture server, int truckId) => server.Connect(server.DriverToken(truckId));

    /// <summary>An active offer by <paramref name="createdBy"/>, sent to <paramref name="drivers"/>, straight in the database.</summary>
    public static int SeedOffer(this ServerFixture server, int createdBy, params int[] drivers) => server.Scoped(db =>
    {
        var now = DateTime.UtcNow;
        var offer = Offer.Create(createdBy, new OfferDetails("Rockford, IL", 42.27, -89.09, "Chicago, IL", 41.88, -87.63,
            null, null, null, null, 12000, "48x40", 90, 1500, null), autoBook: false, expiresAt: null, now);
        db.Offers.Add(offer);
        db.SaveChanges();
        foreach (var d in drivers)
        {
            db.Proposals.Add(Proposal.Send(offer.Id, d, now));
        }
        db.SaveChanges();
        return offer.Id;
    });

    /// <summary>Waits until <paramref name="condition"/> holds (server-side work that follows a call asynchronously).</summary>
    public static async Task Eventually(Func<bool> condition, double seconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The condition did not hold within {seconds} s.");
            }
            await Task.Delay(20);
        }
    }

    /// <summary>Gives events already on their way time to arrive, before asserting someone got none.</summary>
    public static Task Settle() => Task.Delay(400);
}
