using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;

namespace DriverOffers.Tests.Realtime;

/// <summary>Records every server → client event one connection receives, to assert who got what (and who didn't).</summary>
public sealed class EventLog
{
    public static readonly string[] Names =
        ["offer_created", "offer_updated", "proposal_updated", "new_message", "user_typing", "message_read", "presence_changed"];

    private readonly Lock _lock = new();
    private readonly List<(string Name, JsonElement Payload)> _events = [];

    /// <summary>Matches an offer payload (offer_created / offer_updated) by its id.</summary>
    public static Func<JsonElement, bool> Offer(int offerId) => e => e.GetProperty("id").GetInt32() == offerId;

    /// <summary>Matches payloads that carry offer_id (proposals, messages, typing, reads), optionally for one driver.</summary>
    public static Func<JsonElement, bool> About(int offerId, int? driverId = null) => e =>
        e.GetProperty("offer_id").GetInt32() == offerId && (driverId is null || e.GetProperty("driver_id").GetInt32() == driverId);

    public static EventLog Attach(HubConnection connection)
    {
        var log = new EventLog();
        foreach (var name in Names)
        {
            connection.On<JsonElement>(name, payload =>
            {
                lock (log._lock)
                {
                    log._events.Add((name, payload.Clone()));
                }
            });
        }
        return log;
    }

    public List<JsonElement> All(string name, Func<JsonElement, bool>? match = null)
    {
        lock (_lock)
        {
            return [.. _events.Where(e => e.Name == name && (match?.Invoke(e.Payload) ?? true)).Select(e => e.Payload)];
        }
    }

    /// <summary>Every event whose payload is about <paramref name="offerId"/>.</summary>
    public List<(string Name, JsonElement Payload)> AboutOffer(int offerId)
    {
        lock (_lock)
        {
            return [.. _events.Where(e => OfferIdOf(e.Payload) == offerId)];
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _events.Clear();
        }
    }

    public async Task<JsonElement> WaitFor(string name, Func<JsonElement, bool>? match = null, double seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            if (All(name, match) is [var first, ..])
            {
                return first;
            }
            await Task.Delay(20);
        }
        throw new TimeoutException($"No '{name}' event matching the condition within {seconds} s. Got: {string.Join(", ", Snapshot())}");
    }

    /// <summary>Waits until <paramref name="count"/> matching events arrived; returns them.</summary>
    public async Task<List<JsonElement>> WaitForCount(string name, int count, Func<JsonElement, bool>? match = null, double seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            var found = All(name, match);
            if (found.Count >= count)
            {
                return found;
            }
            await Task.Delay(20);
        }
        throw new TimeoutException($"Fewer than {count} '{name}' events within {seconds} s (got {All(name, match).Count}).");
    }

    public List<string> Snapshot()
    {
        lock (_lock)
        {
            return [.. _events.Select(e => $"{e.Name} {e.Payload}")];
        }
    }

    private static int? OfferIdOf(JsonElement payload) =>
        payload.TryGetProperty("offer_id", out var o) && o.ValueKind == JsonValueKind.Number ? o.GetInt32()
        : payload.TryGetProperty("id", out var i) && payload.TryGetProperty("pickup_location", out _) ? i.GetInt32()
        : null;
}
