namespace DriverOffers.Server.Features.Presence;

/// <summary>
/// Who is online right now, for REST views (drivers list, proposals list) and the hub.
/// <c>user_type</c> is <c>dispatcher</c> (id = users.id) or <c>driver</c> (id = Trucks.ID).
/// </summary>
public interface IPresence
{
    bool IsOnline(string userType, int id);

    /// <summary>
    /// The last connect, heartbeat or disconnect seen by this server (null when none since it started), or by any
    /// server when presence is shared in Redis (then kept for 30 days, to the millisecond).
    /// </summary>
    DateTime? LastSeen(string userType, int id);

    /// <summary>
    /// Presence of many people of one type at once, for lists (the truck table has thousands): where presence is shared
    /// in Redis this is one batch of commands instead of two round trips per person.
    /// </summary>
    Task<IReadOnlyDictionary<int, PresenceNow>> OfManyAsync(string userType, IReadOnlyCollection<int> ids) =>
        Task.FromResult<IReadOnlyDictionary<int, PresenceNow>>(ids.Distinct().ToDictionary(id => id, id => new PresenceNow(IsOnline(userType, id), LastSeen(userType, id))));
}

public readonly record struct PresenceNow(bool IsOnline, DateTime? LastSeen);
