using System.Security.Claims;
using DriverOffers.Server.Common;
using DriverOffers.Server.Data;
using DriverOffers.Server.Features.Auth;
using DriverOffers.Server.Features.Chat;
using DriverOffers.Server.Features.Outbox;
using DriverOffers.Server.Features.Proposals;
using DriverOffers.Server.Realtime;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DriverOffers.Server.Features.Offers;

/// <summary>
/// POST /api/offers/{id}/send-to-drivers {driver_ids}: invites more drivers to an open offer. Each new driver gets
/// a proposal, a single-use sign-in link (signed, not stored: <see cref="OfferLinks"/>; queued as an SMS in the outbox)
/// and a system message; drivers already invited are skipped and listed as such.
/// </summary>
public static class SendToDrivers
{
    public const int MaxDrivers = 1000;

    public sealed record Request(List<int>? DriverIds);

    public sealed record SentLink(int DriverId, string? DriverName, string Link, DateTime ExpiresAt);

    public sealed record Response(int OfferId, List<SentLink> Drivers, List<int> SkippedDriverIds);

    public sealed record Sent(Response Response) : Outcome;

    /// <summary>What inviting a truck's driver reads of the truck (the invitation, and the truck block of the dispatchers'
    /// proposal view): its legacy row has twice as many columns, and reading them all for 1,000 trucks took a sixth of a send.</summary>
    public sealed record Invitee(int Id, string? TruckNumber, string? DriverName, string? CellPhone, string? Mail, bool IsActive,
        string? CityStateZip, string? Status)
    {
        public ProposalDriver AsProposalDriver() => new(Id, TruckNumber, DriverName, CellPhone, CityStateZip, Status);
    }

    /// <summary>Where driver links point, how long their codes live (Auth:PublicBaseUrl, Auth:OfferLinkHours) and what
    /// signs them.</summary>
    public sealed record LinkSettings(string BaseUrl, TimeSpan Lifetime, OfferLinks Codes)
    {
        public static LinkSettings From(AuthOptions auth, HttpRequest request, OfferLinks codes) =>
            new(request.HttpContext.RequestServices.GetRequiredService<OfferLinkBase>().For(request),
                TimeSpan.FromHours(auth.OfferLinkHours > 0 ? auth.OfferLinkHours : 72), codes);
    }

    public static async Task<Results<Ok<Response>, ValidationProblem, NotFound, ProblemHttpResult>> Handle(
        int id, Request request, ClaimsPrincipal principal, AppDb db, ILiveEvents live, TimeProvider clock,
        IOptions<AuthOptions> auth, OfferLinks codes, HttpContext http, CancellationToken ct)
    {
        var links = LinkSettings.From(auth.Value, http.Request, codes);
        return await Execute(db, live, clock, Caller.Require(principal), id, request.DriverIds, links, ct) switch
        {
            Sent s => TypedResults.Ok(s.Response),
            Outcome.Invalid i => Problems.Invalid(i),
            Outcome.Conflict c => Problems.Conflict(c.Detail, c.Current),
            _ => TypedResults.NotFound(),
        };
    }

    public static async Task<Outcome> Execute(AppDb db, ILiveEvents live, TimeProvider clock, Caller caller, int offerId,
        IReadOnlyList<int>? driverIds, LinkSettings links, CancellationToken ct)
    {
        // Asked without tracking the offer: a tracked copy read here would be what the read under the lock returns.
        if (!await OfferAccess.CanManage(db, caller, offerId, ct))
        {
            return new Outcome.NotFound();
        }
        var v = new Validation();
        var trucks = await ActiveTrucks(db, driverIds, required: true, v, ct);
        if (!v.IsValid)
        {
            return new Outcome.Invalid(v);
        }
        return await Outcome.RetryOnConcurrency(db, async () =>
        {
            var now = clock.GetUtcNow().UtcDateTime;
            await using var tx = await db.LockOffer(offerId, ct);
            // The same filter again only to read the offer under the lock: the access granted above can't be withdrawn.
            var offer = (await OfferAccess.FindManageable(db, caller, offerId, ct))!;
            // Every driver the offer went to (an index range), rather than a query with one parameter per asked ID.
            var before = (await db.Proposals.Where(p => p.OfferId == offerId).Select(p => p.DriverId).ToListAsync(ct)).ToHashSet();
            var invited = trucks.Where(t => before.Contains(t.Id)).Select(t => t.Id).ToList();
            var fresh = trucks.Where(t => !before.Contains(t.Id)).ToList();
            var log = new ChatLog(db, caller, now);
            Invitations sent;
            try
            {
                offer.EnsureOpen("sent to more drivers", now);
                if (fresh.Count > 0)
                {
                    offer.RecordInvitations(now);
                }
                sent = Invite(offer, fresh, log, links, caller, now);
            }
            catch (RuleViolationException e)
            {
                await tx.Abandon(ct);
                return new Outcome.Conflict(e.Message, await OfferViews.DispatcherView(db, offerId, now, ct));
            }
            await db.SaveChangesAsync(ct);
            await sent.Store(db, ct);
            await tx.CommitAsync(ct);
            var views = await OfferViews.DriverViewsOfInvited(db, offer, sent.Proposals, now, ct);
            await live.DriversInvited(offerId, views, sent.ForDispatchers(offer), log.Stored(), ct);
            return new Sent(new Response(offerId, sent.Links, invited.Order().ToList()));
        }, ct);
    }

    /// <summary>
    /// Checks <c>driver_ids</c>: 1..1000 distinct IDs of existing active trucks. Errors name each bad ID.
    /// Returns the trucks in the order given.
    /// </summary>
    public static async Task<List<Invitee>> ActiveTrucks(AppDb db, IReadOnlyList<int>? driverIds, bool required, Validation v, CancellationToken ct)
    {
        if (driverIds is null || driverIds.Count == 0)
        {
            v.Check(!required, "driver_ids", $"driver_ids must list 1..{MaxDrivers} truck IDs.");
            return [];
        }
        if (driverIds.Count > MaxDrivers)
        {
            v.Add("driver_ids", $"driver_ids can list at most {MaxDrivers} trucks (got {driverIds.Count}).");
            return [];
        }
        var duplicates = driverIds.GroupBy(i => i).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicates.Count > 0)
        {
            v.Add("driver_ids", $"driver_ids must be distinct; repeated: {string.Join(", ", duplicates)}.");
            return [];
        }
        // One array parameter where the provider can: one parameter per ID took SQLite three times as long for 1,000.
        var trucks = await db.TrucksWithIds([.. driverIds])
            .Select(t => new Invitee(t.Id, t.TruckNumber, t.DriverName, t.CellPhone, t.Mail, t.IsActive, t.CityStateZip, t.Status))
            .ToDictionaryAsync(t => t.Id, ct);
        var missing = driverIds.Where(i => !trucks.ContainsKey(i)).ToList();
        var inactive = driverIds.Where(i => trucks.TryGetValue(i, out var t) && !t.IsActive).ToList();
        v.Check(missing.Count == 0, "driver_ids", $"No truck with ID {string.Join(", ", missing)}.");
        v.Check(inactive.Count == 0, "driver_ids", $"Only active trucks can be sent offers; inactive: {string.Join(", ", inactive)}.");
        return driverIds.Where(trucks.ContainsKey).Select(i => trucks[i]).ToList();
    }

    /// <summary>
    /// What inviting drivers writes: for each truck the proposal, the outbox SMS (or e-mail) with its signed link and the
    /// "sent" system message. Built first (a rule can still refuse a truck), then stored in bulk in the caller's
    /// transaction: rows per driver through change tracking cost about a millisecond per driver (decision 072).
    /// </summary>
    public sealed record Invitations(List<Proposal> Proposals, List<SentLink> Links,
        List<OutboxMessage> Outbox, List<ChatMessage> Messages, List<ProposalDriver> Drivers)
    {
        /// <summary>The dispatchers' view of each new proposal as committed: nobody has read or written in its
        /// conversation yet, so it is built here instead of read back (a thousand rows, joined to offers and trucks, and
        /// the unread counts, were a fifth of the server's work in a send).</summary>
        public List<ProposalResponse> ForDispatchers(Offer offer) =>
            [.. Proposals.Select((p, i) => ProposalResponse.From(p, offer.Status, offer.BookedDriverId, unread: 0, Drivers[i]))];

        /// <summary>Inserts every row and sets the proposals' and messages' ids; the caller commits.</summary>
        public async Task Store(AppDb db, CancellationToken ct)
        {
            await BulkInsert.Tables(db, ct, BulkInsert.Of(Proposals), BulkInsert.Of(Outbox), BulkInsert.Of(Messages));
        }
    }

    /// <summary>Builds the invitations of <paramref name="trucks"/> to <paramref name="offer"/> (which has its id).
    /// Used by CreateOffer too; the caller stores them and commits.</summary>
    public static Invitations Invite(Offer offer, IEnumerable<Invitee> trucks, ChatLog log, LinkSettings links, Caller caller, DateTime now)
    {
        var sent = new Invitations([], [], [], [], []);
        var expiresAt = OfferLinks.ExpiryOf(now + links.Lifetime);
        // The same for every driver but the link (formatting the rate alone was a tenth of building 1,000 invitations).
        var offerText = $"{caller.Name} offers you a load: {Short(offer.PickupLocation)} → {Short(offer.DeliveryLocation)}, "
            + $"{ChatLog.Money(offer.ProposedRate)}. Open: ";
        foreach (var truck in trucks)
        {
            var proposal = Proposal.Send(offer.Id, truck.Id, truck.TruckNumber, truck.IsActive, now);
            var link = $"{links.BaseUrl}/driver/link/{links.Codes.Issue(offer.Id, truck.Id, expiresAt)}";
            sent.Proposals.Add(proposal);
            sent.Drivers.Add(truck.AsProposalDriver());
            if (Recipient(truck) is { } to)
            {
                sent.Outbox.Add(OutboxMessage.Create(to.Channel, to.Address, truck.Id, offer.Id, "New load offer", offerText + link, link, now));
            }
            sent.Messages.Add(log.SystemInBulk(offer.Id, truck.Id, $"Offer sent to {truck.DriverName ?? $"truck {truck.TruckNumber}"} by {caller.Name}."));
            sent.Links.Add(new SentLink(truck.Id, truck.DriverName, link, expiresAt));
        }
        return sent;
    }

    /// <summary>One announcement: the offer first (drivers just invited hear of it soonest), then the proposals and
    /// the stored messages.</summary>
    public static Task Announce(ILiveEvents live, int offerId, bool created, IEnumerable<Proposal> proposals, ChatLog log, CancellationToken ct) =>
        live.OfferAndProposalsChanged(offerId, created, proposals.Select(p => p.Id).ToList(), log.Stored(), ct);

    private static (string Channel, string Address)? Recipient(Invitee t) =>
        !string.IsNullOrWhiteSpace(t.CellPhone) ? (OutboxChannel.Sms, t.CellPhone)
        : !string.IsNullOrWhiteSpace(t.Mail) ? (OutboxChannel.Email, t.Mail)
        : null;

    private static string Short(string location) => location.Length <= 120 ? location : location[..117] + "...";
}
