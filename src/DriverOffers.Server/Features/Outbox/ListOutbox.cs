using System.Security.Claims;
using DriverOffers.Server.Common;
using DriverOffers.Server.Data;
using DriverOffers.Server.Features.Offers;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace DriverOffers.Server.Features.Outbox;

/// <summary>
/// GET /api/outbox?offer_id=&amp;status=&amp;before_id=&amp;limit=: messages sent to drivers for the offers the caller can
/// see (a dispatcher's own, all for managers and admins), newest first. Sign-in codes are never listed: they are
/// credentials, and whoever can read them can sign in as the driver.
/// </summary>
public static class ListOutbox
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 200;

    public sealed record Entry(int Id, int? OfferId, int? TruckId, string? TruckNumber, string? DriverName, string Channel,
        string Recipient, string? Subject, string Body, string? Link, string Status, string Delivery, int Attempts,
        string? LastError, DateTime? NextAttemptAt, DateTime CreatedAt, DateTime? SentAt);

    public static async Task<Results<Ok<List<Entry>>, ValidationProblem, NotFound, ForbidHttpResult>> Handle(
        [FromQuery(Name = "offer_id")] string? offerId, string? status, [FromQuery(Name = "before_id")] string? beforeId, string? limit,
        ClaimsPrincipal principal, AppDb db,
        OutboxDelivery delivery, CancellationToken ct)
    {
        var caller = Caller.Require(principal);
        if (!caller.IsDispatcher)
        {
            return TypedResults.Forbid();
        }
        var v = new Validation();
        v.Check(status is null or OutboxStatus.Pending or OutboxStatus.Sent or OutboxStatus.Failed, "status", "status must be pending, sent or failed.");
        var offer = (int?)v.WholeNumber(offerId, "offer_id", 1, int.MaxValue, "offer_id must be a whole number: an offer id.");
        var before = (int?)v.WholeNumber(beforeId, "before_id", 1, int.MaxValue, "before_id must be a whole number: an outbox message id (1 or more).");
        var take = v.Limit(limit, MaxLimit, DefaultLimit);
        if (!v.IsValid)
        {
            return Problems.Invalid(v);
        }
        var visible = db.Offers.VisibleTo(db, caller);
        if (offer is not null && !await visible.AnyAsync(o => o.Id == offer, ct))
        {
            return TypedResults.NotFound();
        }

        var rows = db.Outbox.AsNoTracking().Where(m => m.OfferId != null && visible.Any(o => o.Id == m.OfferId));
        if (offer is not null)
        {
            rows = rows.Where(m => m.OfferId == offer);
        }
        if (status is not null)
        {
            rows = rows.Where(m => m.Status == status);
        }
        if (before is not null)
        {
            rows = rows.Where(m => m.Id < before);
        }
        var page = await rows.OrderByDescending(m => m.Id).Take(take).ToListAsync(ct);
        var truckIds = page.Where(m => m.TruckId != null).Select(m => m.TruckId!.Value).Distinct().ToList();
        var trucks = await db.Trucks.AsNoTracking().Where(t => truckIds.Contains(t.Id))
            .ToDictionaryAsync(t => t.Id, t => (t.TruckNumber, t.DriverName), ct);
        return TypedResults.Ok(page.Select(m =>
            ToEntry(m, m.TruckId is { } id && trucks.TryGetValue(id, out var t) ? t : default, delivery.AutomaticChannels)).ToList());
    }

    /// <summary><c>delivery</c> is <c>manual</c> when no sender is configured for the channel: a dispatcher copies the link.</summary>
    internal static Entry ToEntry(OutboxMessage m, (string? TruckNumber, string? DriverName) truck, IReadOnlyCollection<string> automatic) =>
        new(m.Id, m.OfferId, m.TruckId, truck.TruckNumber, truck.DriverName, m.Channel, m.Recipient, m.Subject, m.Body, m.Link,
            m.Status, automatic.Contains(m.Channel) ? "automatic" : "manual", m.Attempts, m.LastError, m.NextAttemptAt,
            m.CreatedAt, m.SentAt);
}
