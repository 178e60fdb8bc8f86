using DriverOffers.Server.Features.Chat;
using DriverOffers.Server.Features.Geo;
using DriverOffers.Server.Features.Offers;
using DriverOffers.Server.Features.Proposals;

namespace DriverOffers.Server.Data;

/// <summary>
/// Three demo offers with negotiations in every proposal state and their chat, built only through the entities'
/// own rules (Offer.Create, Proposal.Send, Counter, Accept, Offer.Book…), as the use cases would have.
/// </summary>
internal sealed class DemoOffers(AppDb db, Gazetteer gazetteer, DateTime now)
{
    private const int Carl = 18;
    private const int Leo = 20;
    private readonly Dictionary<(int Offer, int Driver), int> _sequence = [];

    public async Task AddAsync(IReadOnlyDictionary<int, string> driverNames, CancellationToken ct)
    {
        string Name(int truck) => driverNames[truck];

        // 1. Carl's open load: a counter to answer, a driver who only looked, one who passed, one not yet seen.
        var t0 = now.AddHours(-5);
        var rockford = await Create(Carl, "Rockford, IL", "Smyrna, TN", 1450m, 38_000m, "53' Dry Van",
            "Paper rolls, no touch. Dock appointment required at delivery.", now.AddDays(1).Date.AddHours(14), t0, ct);
        var counter = await Invite(rockford, [107, 120, 122, 240], t0, ct);
        Viewed(rockford, counter[107], t0.AddMinutes(12));
        Say(rockford, 107, SenderType.Driver, 107, "Hi Carl, is the delivery appointment flexible?", t0.AddMinutes(14));
        Say(rockford, 107, SenderType.Dispatcher, Carl, "Window is 8am-2pm at the receiver, first come first served.", t0.AddMinutes(16));
        Countered(rockford, counter[107], 107, 1650m, t0.AddMinutes(20));
        Viewed(rockford, counter[120], t0.AddMinutes(31));
        Viewed(rockford, counter[240], t0.AddMinutes(40));
        Rejected(rockford, counter[240], 240, t0.AddMinutes(44), "Sorry, already committed for tomorrow.");

        // 2. Leo's load, booked: Hebert accepted and was booked; the other invited driver sees the load taken.
        var t1 = now.AddDays(-2).AddHours(-3);
        var chicago = await Create(Leo, "Chicago, IL", "Atlanta, GA", 2100m, 42_000m, "53' Reefer",
            "Keep at 34F. Lumper paid by receiver.", now.AddDays(-2).Date.AddHours(20), t1, ct);
        var booked = await Invite(chicago, [122, 205, 213], t1, ct);
        Viewed(chicago, booked[122], t1.AddMinutes(8));
        Say(chicago, 122, SenderType.Driver, 122, "I can be at the shipper by 6pm.", t1.AddMinutes(9));
        Accepted(chicago, booked[122], 122, t1.AddMinutes(11));
        Viewed(chicago, booked[205], t1.AddMinutes(15));
        Countered(chicago, booked[205], 205, 2400m, t1.AddMinutes(17));
        chicago.Book(booked[122], t1.AddMinutes(25));
        System(chicago, 122, Leo, $"Booked {Name(122)} at $2,100.00.", t1.AddMinutes(25));
        System(chicago, 205, Leo, "This load was booked with another driver.", t1.AddMinutes(25));
        System(chicago, 213, Leo, "This load was booked with another driver.", t1.AddMinutes(25));
        Say(chicago, 122, SenderType.Dispatcher, Leo, "Thanks Hebert, rate con is in your e-mail.", t1.AddMinutes(27));

        // 3. Carl's second load: one driver accepted and waits to be booked, the dispatcher countered another.
        var t2 = now.AddHours(-1);
        var dallas = await Create(Carl, "Dallas, TX", "Houston, TX", 780m, 18_500m, "48' Flatbed",
            "Steel coils, chains and tarps required.", now.AddDays(2).Date.AddHours(9), t2, ct);
        var open = await Invite(dallas, [201, 203, 210, 215], t2, ct);
        Viewed(dallas, open[201], t2.AddMinutes(5));
        Accepted(dallas, open[201], 201, t2.AddMinutes(6));
        Viewed(dallas, open[203], t2.AddMinutes(9));
        Countered(dallas, open[203], 203, 900m, t2.AddMinutes(10));
        open[203].CounterBack(840m, t2.AddMinutes(14));
        dallas.RecordResponse(t2.AddMinutes(14));
        Rate(dallas, 203, SenderType.Dispatcher, Carl, 840m, "Best I can do is $840.00.", t2.AddMinutes(14));
        await db.SaveChangesAsync(ct);

        void Viewed(Offer offer, Proposal p, DateTime at)
        {
            offer.RecordResponse(at);
            p.MarkViewed(at);
            System(offer, p.DriverId, p.DriverId, $"{Name(p.DriverId)} viewed the offer.", at, SenderType.Driver);
        }

        void Countered(Offer offer, Proposal p, int truck, decimal rate, DateTime at)
        {
            offer.RecordResponse(at);
            p.Counter(rate, at);
            Rate(offer, truck, SenderType.Driver, truck, rate, $"I can do it for ${rate:N2}.", at);
            System(offer, truck, truck, $"{Name(truck)} countered at ${rate:N2}.", at, SenderType.Driver);
        }

        void Accepted(Offer offer, Proposal p, int truck, DateTime at)
        {
            offer.RecordResponse(at);
            p.Accept(offer.ProposedRate, at);
            System(offer, truck, truck, $"{Name(truck)} accepted at ${p.AgreedRate:N2}.", at, SenderType.Driver);
        }

        void Rejected(Offer offer, Proposal p, int truck, DateTime at, string why)
        {
            Say(offer, truck, SenderType.Driver, truck, why, at.AddMinutes(-1));
            offer.RecordResponse(at);
            p.Reject(at);
            System(offer, truck, truck, $"{Name(truck)} rejected the offer.", at, SenderType.Driver);
        }

        async Task<Dictionary<int, Proposal>> Invite(Offer offer, int[] trucks, DateTime at, CancellationToken token)
        {
            var proposals = trucks.ToDictionary(t => t, t => Proposal.Send(offer.Id, t, at));
            db.Proposals.AddRange(proposals.Values);
            foreach (var t in trucks)
            {
                System(offer, t, offer.CreatedBy, $"Offer sent to {Name(t)}: {offer.PickupLocation} → {offer.DeliveryLocation}, ${offer.ProposedRate:N2}.", at);
            }
            await db.SaveChangesAsync(token);
            return proposals;
        }
    }

    private async Task<Offer> Create(int dispatcher, string pickup, string delivery, decimal rate, decimal weight,
        string dimensions, string notes, DateTime pickupStart, DateTime createdAt, CancellationToken ct)
    {
        var from = gazetteer.Resolve(pickup)!;
        var to = gazetteer.Resolve(delivery)!;
        var miles = (decimal)Math.Round(Distance.RoadMiles(from.Lat, from.Lon, to.Lat, to.Lon));
        var details = new OfferDetails(pickup, from.Lat, from.Lon, delivery, to.Lat, to.Lon,
            pickupStart, pickupStart.AddHours(4), pickupStart.AddHours(6 + (double)miles / 50), pickupStart.AddHours(12 + (double)miles / 50),
            weight, dimensions, miles, rate, notes);
        var offer = Offer.Create(dispatcher, details, autoBook: false, expiresAt: null, createdAt);
        db.Offers.Add(offer);
        await db.SaveChangesAsync(ct);
        return offer;
    }

    private void Say(Offer offer, int driver, string senderType, int senderId, string text, DateTime at) =>
        db.ChatMessages.Add(ChatMessage.Text(offer.Id, driver, senderType, senderId, text, ClientId(offer, driver), at));

    private void Rate(Offer offer, int driver, string senderType, int senderId, decimal rate, string text, DateTime at) =>
        db.ChatMessages.Add(ChatMessage.RateProposal(offer.Id, driver, senderType, senderId, rate, text, ClientId(offer, driver), at));

    private void System(Offer offer, int driver, int senderId, string text, DateTime at, string senderType = SenderType.Dispatcher) =>
        db.ChatMessages.Add(ChatMessage.System(offer.Id, driver, senderType, senderId, text, at));

    /// <summary>Client message ids are unique per sender; demo ones say where they came from.</summary>
    private string ClientId(Offer offer, int driver)
    {
        var n = _sequence[(offer.Id, driver)] = _sequence.GetValueOrDefault((offer.Id, driver)) + 1;
        return $"demo-{offer.Id}-{driver}-{n}";
    }
}
