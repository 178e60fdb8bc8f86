using DriverOffers.Server.Data;
using DriverOffers.Server.Features.Auth;
using DriverOffers.Server.Realtime;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;

namespace DriverOffers.Server.Features.Presence;

/// <summary>
/// Sends <c>presence_changed</c> to those who can see the person: for a driver, the dispatchers of offers sent to
/// them and every manager/admin; for a dispatcher, the drivers of their offers. Nobody else learns who is online.
/// </summary>
public static class AnnouncePresence
{
    public static async Task Execute(AppDb db, IHubContext<OffersHub, IOffersClient> hub, PresenceChange change, CancellationToken ct)
    {
        var groups = await Audience(db, change.Person, ct);
        if (groups.Count > 0)
        {
            await hub.Clients.Groups(groups).presence_changed(
                new PresenceEvent(change.Person.UserType, change.Person.Id, change.IsOnline, change.LastSeen));
        }
    }

    public static async Task<IReadOnlyList<string>> Audience(AppDb db, Person person, CancellationToken ct)
    {
        if (person.UserType == Common.Caller.DriverRole)
        {
            var dispatchers = await db.Proposals.Where(p => p.DriverId == person.Id)
                .Join(db.Offers, p => p.OfferId, o => o.Id, (p, o) => o.CreatedBy)
                .Distinct()
                // Managers and admins are reached through the supervisors group below.
                .Where(id => !db.Users.Any(u => u.Id == id && (u.Role == User.Manager || u.Role == User.Admin)))
                .ToListAsync(ct);
            return [.. dispatchers.Select(HubGroups.User), HubGroups.Supervisors];
        }
        var drivers = await db.Proposals
            .Where(p => db.Offers.Any(o => o.Id == p.OfferId && o.CreatedBy == person.Id))
            .Select(p => p.DriverId)
            .Distinct()
            .ToListAsync(ct);
        return [.. drivers.Select(HubGroups.Driver)];
    }
}
