using System.Runtime.CompilerServices;
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
    /// <summary>A batch's people, per kind, in one audience query each; one person alone takes the compiled query.</summary>
    public const int MaxBatch = 500;

    /// <summary>Announces <paramref name="changes"/> in their order; returns how many audience queries it took.</summary>
    public static async Task<int> Execute(AppDb db, IHubContext<OffersHub, IOffersClient> hub, IReadOnlyList<PresenceChange> changes,
        CancellationToken ct)
    {
        var (audiences, queries) = changes.Count == 1
            ? (new Dictionary<Person, IReadOnlyList<string>> { [changes[0].Person] = await Audience(db, changes[0].Person, ct) }, 1)
            : await Audiences(db, [.. changes.Select(c => c.Person).Distinct()], ct);
        foreach (var change in changes)
        {
            var groups = audiences[change.Person];
            if (groups.Count > 0)
            {
                await hub.Clients.Groups(groups).presence_changed(
                    new PresenceEvent(change.Person.UserType, change.Person.Id, change.IsOnline, change.LastSeen));
            }
        }
        return queries;
    }

    public static async Task<IReadOnlyList<string>> Audience(AppDb db, Person person, CancellationToken ct)
    {
        var queries = Queries.For(db);
        return person.UserType == Common.Caller.DriverRole
            ? [.. await Groups(queries.DispatchersOfDriver(db, person.Id), HubGroups.User, ct), HubGroups.Supervisors]
            : await Groups(queries.DriversOfDispatcher(db, person.Id), HubGroups.Driver, ct);
    }

    /// <summary>
    /// The audiences of many people, the same as <see cref="Audience"/> gives one by one, in one query per kind of
    /// person: a server losing its 1,000 connections (or the sweep settling a dead server's) asked once per person.
    /// </summary>
    private static async Task<(Dictionary<Person, IReadOnlyList<string>> Audiences, int Queries)> Audiences(AppDb db, List<Person> people,
        CancellationToken ct)
    {
        var drivers = people.Where(p => p.UserType == Common.Caller.DriverRole).Select(p => p.Id).ToList();
        var dispatchers = people.Where(p => p.UserType != Common.Caller.DriverRole).Select(p => p.Id).ToList();
        var audiences = people.ToDictionary(p => p, p => (IReadOnlyList<string>)(p.UserType == Common.Caller.DriverRole ? [HubGroups.Supervisors] : []));
        var queries = 0;
        if (drivers.Count > 0)
        {
            queries++;
            var seen = await db.Proposals.Where(p => drivers.Contains(p.DriverId))
                .Join(db.Offers, p => p.OfferId, o => o.Id, (p, o) => new { p.DriverId, o.CreatedBy })
                .Distinct()
                .Where(x => !db.Users.Any(u => u.Id == x.CreatedBy && (u.Role == User.Manager || u.Role == User.Admin)))
                .ToListAsync(ct);
            foreach (var driver in seen.GroupBy(x => x.DriverId))
            {
                audiences[new Person(Common.Caller.DriverRole, driver.Key)] = [.. driver.Select(x => HubGroups.User(x.CreatedBy)), HubGroups.Supervisors];
            }
        }
        if (dispatchers.Count > 0)
        {
            queries++;
            var seen = await db.Proposals
                .Join(db.Offers.Where(o => dispatchers.Contains(o.CreatedBy)), p => p.OfferId, o => o.Id, (p, o) => new { o.CreatedBy, p.DriverId })
                .Distinct()
                .ToListAsync(ct);
            var byDispatcher = seen.ToLookup(x => x.CreatedBy, x => HubGroups.Driver(x.DriverId));
            foreach (var person in people.Where(p => p.UserType != Common.Caller.DriverRole))
            {
                audiences[person] = [.. byDispatcher[person.Id]];
            }
        }
        return (audiences, queries);
    }

    private static async Task<List<string>> Groups(IAsyncEnumerable<int> ids, Func<int, string> group, CancellationToken ct)
    {
        var groups = new List<string>();
        await foreach (var id in ids.WithCancellation(ct))
        {
            groups.Add(group(id));
        }
        return groups;
    }

    /// <summary>
    /// Compiled: every connect, disconnect and expiry asks, and EF's per-call query preparation was most of their CPU
    /// (closing 10,000 connections: 78 % presence, 53 % EF Core; compiled, 4.6–4.9 → 3.5–3.8 s). Per host, as the chat
    /// writer's: a compiled query keeps what it first ran with, and one process may host several servers (the tests do).
    /// </summary>
    private sealed class Queries
    {
        private static readonly ConditionalWeakTable<IServiceProvider, Queries> PerHost = new();

        public static Queries For(AppDb db) => db.ApplicationServices is { } host ? PerHost.GetValue(host, _ => new Queries()) : new Queries();

        public Func<AppDb, int, IAsyncEnumerable<int>> DispatchersOfDriver { get; } = EF.CompileAsyncQuery((AppDb db, int driverId) =>
            db.Proposals.Where(p => p.DriverId == driverId)
                .Join(db.Offers, p => p.OfferId, o => o.Id, (p, o) => o.CreatedBy)
                .Distinct()
                // Managers and admins are reached through the supervisors group.
                .Where(id => !db.Users.Any(u => u.Id == id && (u.Role == User.Manager || u.Role == User.Admin))));

        public Func<AppDb, int, IAsyncEnumerable<int>> DriversOfDispatcher { get; } = EF.CompileAsyncQuery((AppDb db, int dispatcherId) =>
            db.Proposals
                .Where(p => db.Offers.Any(o => o.Id == p.OfferId && o.CreatedBy == dispatcherId))
                .Select(p => p.DriverId)
                .Distinct());
    }
}
