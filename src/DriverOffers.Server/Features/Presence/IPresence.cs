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
}
