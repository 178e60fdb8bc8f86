using DriverOffers.Server.Common;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace DriverOffers.Server.Realtime;

/// <summary>
/// Relays typing to the other side of one conversation as <c>user_typing</c>. Per sender and conversation at most
/// one event per throttle window (a change inside the window is sent when the window ends, so the last state always
/// arrives); a typing state with no stop ends by itself after the expiry. Never stored: typing may be lost.
/// </summary>
public sealed class TypingRelay(IHubContext<OffersHub, IOffersClient> hub, TimeProvider clock, IOptions<RealtimeOptions> options, ILogger<TypingRelay> log)
    : IDisposable
{
    private readonly record struct Key(int OfferId, int DriverId, string UserType, int UserId);

    private sealed class State(Key key, string name, IReadOnlyList<string> audience)
    {
        public Key Key { get; } = key;
        public string Name { get; } = name;
        public IReadOnlyList<string> Audience { get; } = audience;
        public string? ConnectionId { get; set; }
        public bool Wanted { get; set; }
        public bool Relayed { get; set; }
        public DateTime? RelayedAt { get; set; }
        public DateTime ExpiresAt { get; set; }
        public ITimer? Timer { get; set; }
    }

    private readonly Lock _lock = new();
    private readonly Dictionary<Key, State> _states = [];
    private TimeSpan Throttle => TimeSpan.FromSeconds(options.Value.TypingThrottleSeconds);
    private TimeSpan Expiry => TimeSpan.FromSeconds(options.Value.TypingExpirySeconds);

    public Task Start(Caller caller, OfferAudience offer, int driverId, string connectionId) =>
        Set(new Key(offer.OfferId, driverId, caller.UserType, caller.Id), connectionId, typing: true,
            () => new State(new Key(offer.OfferId, driverId, caller.UserType, caller.Id), caller.Name, offer.OtherSide(caller.UserType, driverId)));

    /// <summary>Also called when the sender's message is stored: a sent message ends the typing.</summary>
    public Task Stop(Caller caller, int offerId, int driverId, string connectionId) =>
        Set(new Key(offerId, driverId, caller.UserType, caller.Id), connectionId, typing: false, create: null);

    /// <summary>A closed connection stops what it was typing (another tab of the same person may start again).</summary>
    public void ConnectionClosed(string connectionId)
    {
        List<Key> keys;
        lock (_lock)
        {
            keys = [.. _states.Values.Where(s => s.ConnectionId == connectionId && s.Wanted).Select(s => s.Key)];
            foreach (var key in keys)
            {
                _states[key].Wanted = false;
            }
        }
        foreach (var key in keys)
        {
            Fire(Wake(key));
        }
    }

    private Task Set(Key key, string connectionId, bool typing, Func<State>? create)
    {
        lock (_lock)
        {
            if (!_states.TryGetValue(key, out var state))
            {
                if (create is null)
                {
                    return Task.CompletedTask;
                }
                state = create();
                _states[key] = state;
            }
            state.Wanted = typing;
            state.ConnectionId = connectionId;
            if (typing)
            {
                state.ExpiresAt = Now + Expiry;
            }
        }
        return Send(Wake(key));
    }

    /// <summary>Decides, under the lock, whether to relay now, and when to look again.</summary>
    private (State State, TypingEvent Event)? Wake(Key key)
    {
        lock (_lock)
        {
            if (!_states.TryGetValue(key, out var s))
            {
                return null;
            }
            var now = Now;
            if (s.Wanted && s.ExpiresAt <= now)
            {
                s.Wanted = false;
            }
            (State, TypingEvent)? send = null;
            var windowEnds = s.RelayedAt + Throttle ?? DateTime.MinValue;
            if (s.Wanted != s.Relayed && now >= windowEnds)
            {
                s.Relayed = s.Wanted;
                s.RelayedAt = now;
                windowEnds = now + Throttle;
                send = (s, new TypingEvent(key.OfferId, key.DriverId, key.UserType, key.UserId, s.Name, s.Wanted));
            }
            DateTime? next = s.Wanted != s.Relayed ? windowEnds
                : s.Wanted ? s.ExpiresAt
                : now < windowEnds ? windowEnds
                : null;
            if (next is { } due)
            {
                s.Timer ??= clock.CreateTimer(k => Fire(Wake((Key)k!)), key, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                s.Timer.Change(due - now, Timeout.InfiniteTimeSpan);
            }
            else
            {
                // Idle and outside the window: nothing to remember.
                s.Timer?.Dispose();
                _states.Remove(key);
            }
            return send;
        }
    }

    private void Fire((State State, TypingEvent Event)? send) => _ = Send(send);

    private async Task Send((State State, TypingEvent Event)? send)
    {
        if (send is not { } s)
        {
            return;
        }
        try
        {
            await hub.Clients.Groups(s.State.Audience).user_typing(s.Event);
        }
        catch (Exception e)
        {
            log.LogWarning(e, "Could not relay typing for offer {OfferId}", s.Event.OfferId);
        }
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var s in _states.Values)
            {
                s.Timer?.Dispose();
            }
            _states.Clear();
        }
    }
}
