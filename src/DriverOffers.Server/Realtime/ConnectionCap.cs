using DriverOffers.Server.Common;
using Microsoft.Extensions.Options;

namespace DriverOffers.Server.Realtime;

/// <summary>
/// At most <c>Realtime:ConnectionsPerUser</c> open hub connections per person on this server. The per-connection call
/// limit is only a limit if connections are: one token could otherwise open them by the hundred, each with its own
/// allowance, and each holding memory and a socket (docs/decisions/099-security-pass.md). Counts only; ~30 bytes per
/// connected person.
/// </summary>
public sealed class ConnectionCap(IOptions<RealtimeOptions> options)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string UserType, int Id), int> _open = [];

    public int Limit => options.Value.ConnectionsPerUser;

    /// <summary>
    /// The refusal's first words, which clients look for (docs/protocol.md): SignalR closes the refused connection with
    /// "allow reconnect: false", but the JS client passes only the error text to its close handlers, so the web app
    /// (web/src/lib/realtime/connection.ts) recognises the refusal by these words and stops retrying.
    /// </summary>
    public const string RefusalStart = "Too many connections";

    public string Refusal => $"{RefusalStart}: at most {Limit} open at once per person. Close another tab or device.";

    /// <summary>Counts a new connection of <paramref name="caller"/>, or refuses it (false) when they have the most
    /// allowed already. Every true is matched by one <see cref="Closed"/>.</summary>
    public bool TryOpen(Caller caller)
    {
        var key = (caller.UserType, caller.Id);
        lock (_lock)
        {
            var open = _open.GetValueOrDefault(key);
            if (open >= Limit)
            {
                return false;
            }
            _open[key] = open + 1;
            return true;
        }
    }

    public void Closed(Caller caller)
    {
        var key = (caller.UserType, caller.Id);
        lock (_lock)
        {
            if (_open.TryGetValue(key, out var open))
            {
                if (open <= 1)
                {
                    _open.Remove(key);
                }
                else
                {
                    _open[key] = open - 1;
                }
            }
        }
    }
}
