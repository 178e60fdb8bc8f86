namespace DriverOffers.Server.Realtime;

/// <summary>The one place hub group names are built.</summary>
public static class HubGroups
{
    /// <summary>Every connection of one dispatcher/manager/admin.</summary>
    public static string User(int userId) => $"user:{userId}";

    /// <summary>Every connection of one truck's driver.</summary>
    public static string Driver(int truckId) => $"driver:{truckId}";

    /// <summary>Every dispatcher, manager and admin connection: truck table updates go here.</summary>
    public const string Dispatchers = "dispatchers";

    /// <summary>Managers and admins: they see every offer.</summary>
    public const string Supervisors = "supervisors";

    /// <summary>Those who opened one conversation (join_offer_chat): typing goes only here.</summary>
    public static string Conversation(int offerId, int driverId) => $"chat:{offerId}:{driverId}";
}
