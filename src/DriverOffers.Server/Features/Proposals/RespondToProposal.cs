using System.Security.Claims;
using DriverOffers.Server.Common;
using DriverOffers.Server.Data;
using DriverOffers.Server.Features.Chat;
using DriverOffers.Server.Features.Offers;
using DriverOffers.Server.Realtime;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace DriverOffers.Server.Features.Proposals;

/// <summary>
/// PUT /api/proposals/{id}/respond {action, rate?} (and the hub's driver_proposal).
/// A driver answers their own proposal: view | accept | reject | counter (with rate). A dispatcher managing the
/// offer answers a driver: counter (counter back with a rate_proposal message) | accept (books the driver at their
/// counter rate, exactly like POST /api/offers/{id}/book). An accept may carry the rate being accepted: if the rate on
/// the table changed meanwhile (an edit, a new counter), nothing is accepted or booked (409). Answers that change the offer take its row lock
/// first (AppDb.LockOffer) and go through Offer.RecordResponse, so one racing a booking or cancel loses cleanly (409 with
/// the current offer); on an auto-book offer the first accept books.
/// </summary>
public static class RespondToProposal
{
    public const string View = "view";
    public const string Accept = "accept";
    public const string Reject = "reject";
    public const string Counter = "counter";

    public sealed record Request(string? Action, decimal? Rate);

    public sealed record Responded(ProposalResponse Proposal) : Outcome;

    public static async Task<Results<Ok<ProposalResponse>, ValidationProblem, NotFound, ProblemHttpResult>> Handle(
        int id, Request request, ClaimsPrincipal principal, AppDb db, ILiveEvents live, TimeProvider clock, SendLimits limits,
        HttpContext http, CancellationToken ct) =>
        await Execute(db, live, clock, limits, Caller.Require(principal), id, request, ct) switch
        {
            Responded r => TypedResults.Ok(r.Proposal),
            Outcome.Invalid i => Problems.Invalid(i),
            Outcome.Conflict c => Problems.Conflict(c.Detail, c.Current),
            Outcome.TooMany t => Problems.TooMany(http, t),
            _ => TypedResults.NotFound(),
        };

    public static async Task<Outcome> Execute(AppDb db, ILiveEvents live, TimeProvider clock, SendLimits limits, Caller caller,
        int proposalId, Request request, CancellationToken ct)
    {
        var v = Validate(caller, request);
        if (!v.IsValid)
        {
            return new Outcome.Invalid(v);
        }
        // Every answer writes to the other side's chat (a counter writes two messages): it counts as a message sent.
        if (limits.TryTake(caller) is { } wait)
        {
            return new Outcome.TooMany(limits.Refusal(wait), wait);
        }
        if (caller.IsDriver)
        {
            return await Outcome.RetryOnConcurrency(db, () => ByDriver(db, live, clock, caller, proposalId, request, ct), ct);
        }
        var target = await db.Proposals.AsNoTracking().Where(p => p.Id == proposalId)
            .Select(p => new { p.OfferId, p.DriverId }).FirstOrDefaultAsync(ct);
        if (target is null || !await OfferAccess.CanManage(db, caller, target.OfferId, ct))
        {
            return new Outcome.NotFound();
        }
        if (request.Action == Accept)
        {
            var booked = await BookDriver.Execute(db, live, clock, caller, target.OfferId, target.DriverId, expectedRate: request.Rate, ct);
            return booked is BookDriver.Booked ? new Responded((await ProposalViews.ForDispatcher(db, proposalId, ct))!) : booked;
        }
        return await Outcome.RetryOnConcurrency(db, () => CounterBack(db, live, clock, caller, target.OfferId, proposalId, request.Rate!.Value, ct), ct);
    }

    private static Validation Validate(Caller caller, Request request)
    {
        var v = new Validation();
        string[] allowed = caller.IsDriver ? [View, Accept, Reject, Counter] : [Accept, Counter];
        if (!allowed.Contains(request.Action))
        {
            v.Add("action", caller.IsDriver
                ? "action must be one of view, accept, reject, counter."
                : "action must be accept (book the driver at their counter rate) or counter (counter back with a rate).");
        }
        if (request.Action == Counter)
        {
            v.Money(request.Rate, "rate", Proposal.MaxRate, required: true);
        }
        else if (request.Action == Accept)
        {
            // Optional: the rate being accepted, as the caller saw it; if it changed meanwhile nothing is accepted (409).
            v.Money(request.Rate, "rate", Proposal.MaxRate);
        }
        else
        {
            v.Check(request.Rate is null, "rate", "rate is only allowed with action counter (required) or accept (optional: the rate you accept).");
        }
        return v;
    }

    private static async Task<Outcome> ByDriver(AppDb db, ILiveEvents live, TimeProvider clock, Caller caller, int proposalId,
        Request request, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        // A proposal never moves to another offer: which offer to lock can be read before the lock.
        var offerId = await db.Proposals.Where(p => p.Id == proposalId && p.DriverId == caller.Id).Select(p => (int?)p.OfferId).FirstOrDefaultAsync(ct);
        if (offerId is null)
        {
            return new Outcome.NotFound();
        }
        if (request.Action == View && !await WouldRecordView(db, proposalId, now, ct))
        {
            return new Responded((await ProposalViews.ForDriver(db, proposalId, ct))!);
        }
        await using var tx = await db.LockOffer(offerId.Value, ct);
        var proposal = await db.Proposals.FirstAsync(p => p.Id == proposalId, ct);
        var offer = await db.Offers.FirstAsync(o => o.Id == offerId, ct);
        var log = new ChatLog(db, caller, now);
        List<Proposal>? booked = null;
        try
        {
            switch (request.Action)
            {
                case View:
                    if (!offer.RecordView(proposal, now))
                    {
                        await tx.Abandon(ct);
                        return new Responded((await ProposalViews.ForDriver(db, proposalId, ct))!);
                    }
                    log.System(offer.Id, caller.Id, $"{caller.Name} viewed the offer.");
                    break;
                case Accept:
                    offer.RecordResponse(now);
                    proposal.Accept(offer.ProposedRate, now, request.Rate);
                    log.System(offer.Id, caller.Id, $"{caller.Name} accepted at {ChatLog.Money(proposal.AgreedRate ?? offer.ProposedRate)}.", proposal.AgreedRate);
                    if (offer.AutoBook)
                    {
                        offer.Book(proposal, now);
                        booked = await BookDriver.RecordBooking(db, log, offer, ct);
                    }
                    break;
                case Reject:
                    offer.RecordResponse(now);
                    proposal.Reject(now);
                    log.System(offer.Id, caller.Id, $"{caller.Name} declined the offer.");
                    break;
                default:
                    offer.RecordResponse(now);
                    proposal.Counter(request.Rate!.Value, now);
                    // The counter itself is a rate_proposal (shown as a card the dispatcher can accept or answer);
                    // the system line keeps the audit trail uniform with every other state change.
                    log.RateProposal(offer.Id, caller.Id, request.Rate.Value, $"{caller.Name} proposes {ChatLog.Money(request.Rate.Value)}.");
                    log.System(offer.Id, caller.Id, $"{caller.Name} countered at {ChatLog.Money(request.Rate.Value)}.");
                    break;
            }
        }
        catch (RuleViolationException e)
        {
            await tx.Abandon(ct);
            return new Outcome.Conflict(e.Message, await OfferViews.DriverView(db, proposal.OfferId, caller.Id, now, ct));
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        // A booking is news for every invited driver; any other answer only for the dispatcher side and this driver.
        await (booked is not null
            ? BookDriver.AnnounceBooking(live, offer, booked, log, ct)
            : live.ProposalAnswered(offer.Id, caller.Id, request.Action == View ? null : offer.Version, [proposal.Id], log.Stored(), ct));
        return new Responded((await ProposalViews.ForDriver(db, proposalId, ct))!);
    }

    /// <summary>
    /// Whether a view would record anything, from a plain read: a phone reopening an offer sends a view each time, and the
    /// offer's lock taken for each (on SQLite the database's one write lock) queued those reads behind every writer. An
    /// answer of "no" holds: a viewed proposal is never unviewed, and an offer reopened after this read is simply one the
    /// view came before. Two first views racing both find "yes"; the second finds the view recorded under the lock.
    /// </summary>
    private static async Task<bool> WouldRecordView(AppDb db, int proposalId, DateTime now, CancellationToken ct)
    {
        var seen = await (from p in db.Proposals.AsNoTracking()
                          join o in db.Offers.AsNoTracking() on p.OfferId equals o.Id
                          where p.Id == proposalId
                          select new { Proposal = p, Offer = o }).FirstAsync(ct);
        return seen.Offer.WouldRecordView(seen.Proposal, now);
    }

    private static async Task<Outcome> CounterBack(AppDb db, ILiveEvents live, TimeProvider clock, Caller caller, int offerId,
        int proposalId, decimal rate, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var tx = await db.LockOffer(offerId, ct);
        var proposal = await db.Proposals.FirstAsync(p => p.Id == proposalId, ct);
        var offer = await db.Offers.FirstAsync(o => o.Id == offerId, ct);
        var log = new ChatLog(db, caller, now);
        try
        {
            offer.RecordResponse(now);
            proposal.CounterBack(rate, now);
        }
        catch (RuleViolationException e)
        {
            await tx.Abandon(ct);
            return new Outcome.Conflict(e.Message, await OfferViews.DispatcherView(db, offer.Id, now, ct));
        }
        // As the driver's counter: the card to answer, and the system line of the audit trail.
        log.RateProposal(offer.Id, proposal.DriverId, rate, $"{caller.Name} proposes {ChatLog.Money(rate)}.");
        log.System(offer.Id, proposal.DriverId, $"{caller.Name} countered back at {ChatLog.Money(rate)}.");
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        await live.ProposalAnswered(offer.Id, proposal.DriverId, offer.Version, [proposal.Id], log.Stored(), ct);
        return new Responded((await ProposalViews.ForDispatcher(db, proposalId, ct))!);
    }
}
