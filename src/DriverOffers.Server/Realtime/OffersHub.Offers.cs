using System.Text.Json;
using DriverOffers.Server.Common;
using DriverOffers.Server.Features.Offers;
using DriverOffers.Server.Features.Proposals;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;

namespace DriverOffers.Server.Realtime;

/// <summary>Offer and proposal methods: the same use cases as the REST routes under /api/offers and /api/proposals.</summary>
public sealed partial class OffersHub
{
    public sealed record OfferRequest(int? OfferId);

    public sealed record StatusChangeRequest(int? OfferId, string? Status, int? DriverId, decimal? Rate);

    public sealed record ProposalRequest(int? ProposalId, int? OfferId, int? DriverId, string? Action, decimal? Rate);

    /// <summary><c>get_offer_details {offer_id}</c>: the offer as the caller may see it (as GET /api/offers/{id}).</summary>
    [HubMethodName("get_offer_details")]
    public async Task<OfferResponse> GetOfferDetails(JsonElement request)
    {
        var offerId = HubArgs.Required(HubArgs.Read<OfferRequest>(request, "{\"offer_id\": 1}", "offer_id").OfferId, "offer_id");
        return await GetOffer.Execute(Db, _clock, Me, offerId, Aborted) is GetOffer.Found f ? f.Offer : throw new HubException(NotFound);
    }

    /// <summary>
    /// <c>offer_status_change {offer_id, status, driver_id?, rate?}</c> (dispatchers): <c>cancelled</c> cancels (DELETE
    /// /api/offers/{id}); <c>completed</c> books <c>driver_id</c>, at <c>rate</c> if given (POST /api/offers/{id}/book).
    /// </summary>
    [HubMethodName("offer_status_change")]
    public async Task<OfferResponse> OfferStatusChange(JsonElement request)
    {
        var r = HubArgs.Read<StatusChangeRequest>(request, "{\"offer_id\": 1, \"status\": \"completed\", \"driver_id\": 107}");
        var offerId = HubArgs.Required(r.OfferId, "offer_id");
        var outcome = r.Status switch
        {
            OfferStatus.Cancelled when r.DriverId is null && r.Rate is null => await CancelOffer.Execute(Db, _live, _clock, Me, offerId, Aborted),
            OfferStatus.Cancelled => throw new HubException("driver_id and rate are only allowed with status completed."),
            OfferStatus.Completed => await BookDriver.Execute(Db, _live, _clock, Me, offerId, HubArgs.Required(r.DriverId, "driver_id"), r.Rate, Aborted),
            _ => throw new HubException("status must be cancelled (cancel the offer) or completed (book driver_id)."),
        };
        return outcome switch
        {
            CancelOffer.Cancelled c => c.Offer,
            BookDriver.Booked b => b.Offer,
            _ => throw Refused(outcome),
        };
    }

    /// <summary>
    /// <c>driver_proposal {proposal_id | offer_id [+ driver_id], action, rate?}</c>: as PUT /api/proposals/{id}/respond.
    /// A driver names their proposal by <c>offer_id</c> alone; a dispatcher by <c>offer_id</c> and <c>driver_id</c>.
    /// </summary>
    [HubMethodName("driver_proposal")]
    public async Task<ProposalResponse> DriverProposal(JsonElement request)
    {
        var r = HubArgs.Read<ProposalRequest>(request, "{\"offer_id\": 1, \"action\": \"counter\", \"rate\": 1800}");
        var me = Me;
        int proposalId;
        if (r.ProposalId is not null)
        {
            proposalId = HubArgs.Required(r.ProposalId, "proposal_id");
        }
        else
        {
            var offerId = HubArgs.Required(r.OfferId, "offer_id or proposal_id");
            var driverId = me.IsDriver ? r.DriverId ?? me.Id : HubArgs.Required(r.DriverId, "driver_id");
            proposalId = await Db.Proposals.Where(p => p.OfferId == offerId && p.DriverId == driverId)
                .Select(p => p.Id).FirstOrDefaultAsync(Aborted);
        }
        var outcome = await RespondToProposal.Execute(Db, _live, _clock, _limits, me, proposalId,
            new RespondToProposal.Request(r.Action, r.Rate), Aborted);
        return outcome is RespondToProposal.Responded ok ? ok.Proposal : throw Refused(outcome);
    }

    /// <summary>A use case's refusal as the hub error the caller sees; nothing was changed.</summary>
    private static HubException Refused(Outcome outcome) => outcome switch
    {
        Outcome.Invalid i => HubArgs.Invalid(i.Errors),
        Outcome.Conflict c => new HubException($"{c.Detail} Nothing was changed; re-read the offer (get_offer_details)."),
        Outcome.TooMany t => new HubException(t.Detail),
        _ => new HubException(NotFound),
    };
}
