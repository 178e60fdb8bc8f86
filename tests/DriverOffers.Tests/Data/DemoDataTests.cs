using DriverOffers.Server.Features.Chat;
using DriverOffers.Server.Features.Offers;
using DriverOffers.Server.Features.Proposals;
using DriverOffers.Tests.Infrastructure;

namespace DriverOffers.Tests.Data;

/// <summary>What a fresh standalone database holds, so the first screen is never empty.</summary>
public sealed class DemoDataTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public void Seed_users_are_there_with_php_bcrypt_hashes()
    {
        var users = server.Scoped(db => db.Users.OrderBy(u => u.Id).ToList());
        Assert.Equal([15, 18, 20, 21, 22], users.Select(u => u.Id));
        Assert.Equal(["vladyslav", "carl.banks", "leo.durand", "michael", "jacob.foster"], users.Select(u => u.Username));
        Assert.All(users, u => Assert.StartsWith("$2y$", u.Password, StringComparison.Ordinal));
    }

    [Fact]
    public void Seed_trucks_are_kept_exactly()
    {
        var seed = server.Scoped(db => db.Trucks.Where(t => t.Id == 107 || t.Id == 120 || t.Id == 122).OrderBy(t => t.Id).ToList());
        Assert.Equal(
            [("Nwee Ler", "(779) 513-2475", "Rockford, IL"), ("Rodney Bowles", "(631) 994-0587", "Weehawken, NJ"), ("Hebert Rodriguez", "(615) 930-4098", "Smyrna, TN")],
            seed.Select(t => (t.DriverName, t.CellPhone, t.CityStateZip)));
    }

    [Fact]
    public void Fleet_has_about_300_varied_trucks_over_us_cities()
    {
        var trucks = server.Scoped(db => db.Trucks.ToList());
        Assert.True(trucks.Count >= 300, $"only {trucks.Count} trucks");
        Assert.InRange(trucks.Count(t => !t.IsActive), 3, 30);
        Assert.True(trucks.Select(t => t.Status).Distinct().Count() >= 5);
        Assert.True(trucks.Select(t => t.Dimensions).Distinct().Count() >= 5);
        Assert.True(trucks.Select(t => t.CityStateZip).Distinct().Count() >= 100);
        Assert.Equal(trucks.Count, trucks.Select(t => t.CellPhone).Distinct().Count());
        Assert.All(trucks, t => Assert.Contains(t.AssignedDispatcherId, new int?[] { 18, 20, 22 }));
        Assert.All(trucks, t => Assert.Matches(@"^\d\.\d\d$", t.Rate));
        Assert.All(trucks.Where(t => t.Latitude is not null), t =>
        {
            Assert.InRange((double)t.Latitude!.Value, 18, 72);
            Assert.InRange((double)t.Longitude!.Value, -180, -64);
        });
        Assert.Contains(trucks, t => t.Latitude is null);
        Assert.True(trucks.Select(t => t.UpdatedAt!.Value.Date).Distinct().Count() >= 3, "updated_at should spread over days");
    }

    [Fact]
    public void Offers_show_negotiations_in_every_state_with_chat()
    {
        var (offers, proposals, messages) = server.Scoped(db => (db.Offers.ToList(), db.Proposals.ToList(), db.ChatMessages.ToList()));
        Assert.InRange(offers.Count, 2, 3);
        Assert.Equal([18, 20], offers.Select(o => o.CreatedBy).Distinct().Order());
        var booked = Assert.Single(offers, o => o.Status == OfferStatus.Completed);
        Assert.NotNull(booked.BookedDriverId);
        Assert.Contains(proposals, p => p.OfferId == booked.Id && p.DriverId == booked.BookedDriverId && p.Status == ProposalStatus.Accepted);
        Assert.Superset(
            new HashSet<string> { ProposalStatus.Sent, ProposalStatus.Viewed, ProposalStatus.CounterOffered, ProposalStatus.Accepted, ProposalStatus.Rejected },
            proposals.Select(p => p.Status).ToHashSet());
        Assert.Superset(
            new HashSet<string> { MessageType.Text, MessageType.RateProposal, MessageType.System },
            messages.Select(m => m.MessageType).ToHashSet());
        // Every invited driver's conversation opens with the offer being sent, and reads in time order.
        foreach (var p in proposals)
        {
            var conversation = messages.Where(m => m.OfferId == p.OfferId && m.DriverId == p.DriverId).OrderBy(m => m.Id).ToList();
            Assert.Equal(MessageType.System, conversation[0].MessageType);
            Assert.Equal(conversation.Select(m => m.CreatedAt).Order(), conversation.Select(m => m.CreatedAt));
        }
    }
}
