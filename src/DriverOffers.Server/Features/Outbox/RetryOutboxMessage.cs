using System.Security.Claims;
using DriverOffers.Server.Common;
using DriverOffers.Server.Data;
using DriverOffers.Server.Features.Offers;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace DriverOffers.Server.Features.Outbox;

/// <summary>POST /api/outbox/{id}/retry: a failed message gets a new round of tries (same visibility as the listing).</summary>
public static class RetryOutboxMessage
{
    public static async Task<Results<Ok<ListOutbox.Entry>, NotFound, ProblemHttpResult>> Handle(
        int id, ClaimsPrincipal principal, AppDb db, OutboxDelivery delivery, TimeProvider clock, CancellationToken ct)
    {
        var caller = Caller.Require(principal);
        if (!caller.IsDispatcher)
        {
            return TypedResults.NotFound();
        }
        var visible = db.Offers.VisibleTo(db, caller);
        var message = await db.Outbox.FirstOrDefaultAsync(m => m.Id == id && m.OfferId != null && visible.Any(o => o.Id == m.OfferId), ct);
        if (message is null)
        {
            return TypedResults.NotFound();
        }
        if (message.Status != OutboxStatus.Failed)
        {
            return Problems.Conflict($"Only failed messages can be retried; this one is {message.Status}.");
        }
        message.Retry(clock.GetUtcNow().UtcDateTime);
        // A save the database gave up on (lock wait, deadlock with the delivery loop) left the change tracked: save it again.
        await TransientConflicts.Retry(() => db.SaveChangesAsync(ct), ct);
        var truck = await db.Trucks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == message.TruckId, ct);
        return TypedResults.Ok(ListOutbox.ToEntry(message, (truck?.TruckNumber, truck?.DriverName), delivery.AutomaticChannels));
    }
}
