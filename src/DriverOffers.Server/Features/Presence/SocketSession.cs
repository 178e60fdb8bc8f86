namespace DriverOffers.Server.Features.Presence;

/// <summary>One hub connection of a dispatcher or driver (seed table <c>socket_sessions</c>).</summary>
public sealed class SocketSession
{
    private SocketSession() { }

    public static SocketSession Open(int userId, string userType, string socketId, DateTime now) =>
        new() { UserId = userId, UserType = userType, SocketId = socketId, IsOnline = true, LastSeen = now, CreatedAt = now };

    public int Id { get; private set; }
    public int UserId { get; private set; }
    public string SocketId { get; private set; } = "";
    public string UserType { get; private set; } = "";
    public bool IsOnline { get; private set; }
    public DateTime LastSeen { get; private set; }
    public DateTime CreatedAt { get; private set; }

    /// <summary>A heartbeat: the connection is alive, even if it had been silent past the timeout.</summary>
    public void Seen(DateTime now)
    {
        IsOnline = true;
        LastSeen = now;
    }

    public void Close(DateTime now)
    {
        IsOnline = false;
        LastSeen = now;
    }
}
