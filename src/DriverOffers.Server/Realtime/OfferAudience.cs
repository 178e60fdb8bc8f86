using DriverOffers.Server.Common;
using DriverOffers.Server.Data;
using DriverOffers.Server.Features.Auth;
using Microsoft.EntityFrameworkCore;

namespace DriverOffers.Server.Realtime;

/// <summary>
/// Who sees one offer's events: its dispatcher side (the dispatcher who created it, and every manager/admin) and
/// its invited drivers. Group lists never overlap, so nobody gets an event twice: a manager who created an offer is
/// reached through <see cref="HubGroups.Supervisors"/> only.
/// </summary>
public sealed record OfferAudience(int OfferId, int CreatedBy, bool CreatorIsSupervisor)
{
    public IReadOnlyList<string> DispatcherSide =>
        CreatorIsSupervisor ? [HubGroups.Supervisors] : [HubGroups.User(CreatedBy), HubGroups.Supervisors];

    public static IReadOnlyList<string> DriverSide(int driverId) => [HubGroups.Driver(driverId)];

    /// <summary>Both sides of the conversation (offer, driver).</summary>
    public IReadOnlyList<string> Conversation(int driverId) => [.. DispatcherSide, HubGroups.Driver(driverId)];

    /// <summary>The side that is not <paramref name="userType"/> (chat <c>sender_type</c> / presence <c>user_type</c>).</summary>
    public IReadOnlyList<string> OtherSide(string userType, int driverId) =>
        userType == Caller.DriverRole ? DispatcherSide : DriverSide(driverId);

    public static Task<OfferAudience?> Load(AppDb db, int offerId, CancellationToken ct) =>
        Load(() => db, db.DatabaseKey, offerId, ct);

    /// <summary>As <see cref="Load(AppDb, int, CancellationToken)"/>; <paramref name="db"/> is only called when the answer is not
    /// known. <paramref name="database"/> names the database, since one process may host several servers (the tests do).</summary>
    public static async Task<OfferAudience?> Load(Func<AppDb> db, string database, int offerId, CancellationToken ct)
    {
        // Every chat message is routed by its offer's audience; the creator never changes and a creator's role only
        // rarely, so the answer is kept briefly instead of read per message.
        var now = Environment.TickCount64;
        if (Recent.TryGetValue((database, offerId), out var known) && now - known.At < KeepMilliseconds)
        {
            return known.Audience;
        }
        var context = db();
        var audience = await context.Offers.AsNoTracking()
            .Where(o => o.Id == offerId)
            .Select(o => new OfferAudience(o.Id, o.CreatedBy,
                context.Users.Any(u => u.Id == o.CreatedBy && (u.Role == User.Manager || u.Role == User.Admin))))
            .FirstOrDefaultAsync(ct);
        if (audience is not null)
        {
            if (Recent.Count >= 100_000)
            {
                Recent.Clear();
            }
            Recent[(database, offerId)] = (audience, now);
        }
        return audience;
    }

    private const long KeepMilliseconds = 30_000;
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string Database, int OfferId), (OfferAudience Audience, long At)> Recent = new();
}
