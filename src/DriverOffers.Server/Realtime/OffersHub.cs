using System.Text.Json;
using DriverOffers.Server.Common;
using DriverOffers.Server.Data;
using DriverOffers.Server.Features.Auth;
using DriverOffers.Server.Features.Offers;
using DriverOffers.Server.Features.Presence;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace DriverOffers.Server.Realtime;

/// <summary>
/// The one hub, at <c>/hubs/offers</c>. Methods are the seed's names (docs/protocol.md); each takes one JSON object,
/// authorizes against the data and calls the same use-case code as REST. This file: connection lifecycle, presence
/// and the helpers; chat methods in OffersHub.Chat.cs, offer and proposal methods in OffersHub.Offers.cs.
/// </summary>
[Authorize]
public sealed partial class OffersHub : Hub<IOffersClient>
{
    public const string Path = "/hubs/offers";

    /// <summary>The one answer for "doesn't exist" and "not yours".</summary>
    private const string NotFound = "Not found: no such offer or conversation, or it is not yours.";

    private readonly IServiceProvider _services;
    private AppDb? _db;
    private readonly TimeProvider _clock;
    private readonly ILiveEvents _live;
    private readonly TypingRelay _typing;
    private readonly TrackPresence _presence;
    private readonly IPresence _online;
    private readonly ActiveAccounts _accounts;
    private readonly ConnectionCap _cap;
    private readonly SendLimits _limits;
    private readonly OfferChangeSignal _offerChanges;

    public OffersHub(IServiceProvider services, TimeProvider clock, ILiveEvents live, TypingRelay typing, TrackPresence presence, IPresence online,
        ActiveAccounts accounts, ConnectionCap cap, SendLimits limits, OfferChangeSignal offerChanges)
    {
        _offerChanges = offerChanges;
        _accounts = accounts;
        _cap = cap;
        _limits = limits;
        _services = services;
        _clock = clock;
        _live = live;
        _typing = typing;
        _presence = presence;
        _online = online;
    }

    public override async Task OnConnectedAsync()
    {
        var caller = Caller.From(Context.User) ?? throw new HubException("Unauthorized");
        // Refused before anything is recorded: SignalR runs no OnDisconnectedAsync for a connection whose
        // OnConnectedAsync threw, and closes it telling the client not to reconnect.
        if (!_cap.TryOpen(caller))
        {
            throw new HubException(_cap.Refusal);
        }
        // The upgraded request lives as long as the connection, and with it every header the client sent (user agent,
        // WebSocket key, host; cookies and languages from browsers): 0.5-2 KB per connection that nothing reads once
        // the handshake is done (docs/decisions/081-connection-memory-fourth-pass.md).
        // Kestrel keeps the cleared header strings for reuse by the connection's next request, which an upgraded
        // connection never has, unless string reuse is off (AppSetup). The items only carried the authorization mark
        // the endpoint middleware checked before the hub ran (AuthenticateHubRequest).
        if (Context.GetHttpContext() is { } http)
        {
            http.Request.Headers.Clear();
            http.Items = new Dictionary<object, object?>();
        }
        try
        {
            if (caller.IsDriver)
            {
                await Groups.AddToGroupAsync(Context.ConnectionId, HubGroups.Driver(caller.Id));
            }
            else
            {
                await Groups.AddToGroupAsync(Context.ConnectionId, HubGroups.User(caller.Id));
                await Groups.AddToGroupAsync(Context.ConnectionId, HubGroups.Dispatchers);
                if (caller.IsSupervisor)
                {
                    await Groups.AddToGroupAsync(Context.ConnectionId, HubGroups.Supervisors);
                }
            }
        }
        catch
        {
            // No OnDisconnectedAsync follows a failed connect (a Redis group add can fail).
            _cap.Closed(caller);
            throw;
        }
        // Not awaited here: the session row's batched commit and the announcement finish in the background, so this
        // invocation's objects don't wait with them (in a burst of thousands of connects, what all those waits held
        // ended up in gen2 as garbage). The disconnect waits for it.
        _presence.ConnectInBackground(caller, Context.ConnectionId);
        _accounts.Connected(caller, Context);
        await base.OnConnectedAsync();
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        _typing.ConnectionClosed(Context.ConnectionId);
        _accounts.Disconnected(Context);
        if (Caller.From(Context.User) is { } caller)
        {
            _cap.Closed(caller);
        }
        await _presence.Disconnected(Context.ConnectionId, CancellationToken.None);
        await base.OnDisconnectedAsync(exception);
    }

    /// <summary><c>heartbeat {}</c>: keeps the caller online; answers with the server time and the timeout.</summary>
    [HubMethodName("heartbeat")]
    public Task<TrackPresence.HeartbeatResponse> Heartbeat(JsonElement request)
    {
        HubArgs.Read<HeartbeatRequest>(request, "{}");
        return _presence.Heartbeat(Context.ConnectionId, Context.ConnectionAborted);
    }

    private sealed record HeartbeatRequest;

    /// <summary>
    /// The invocation's context, taken from the pool on first use. Connects, heartbeats and typing (nearly all calls)
    /// never touch it, and the first two wait on batched commits: holding a context there kept a thousand of them in
    /// the pool after a connect burst of 10,000 clients.
    /// </summary>
    private AppDb Db => _db ??= _services.GetRequiredService<AppDb>();

    private Caller Me => Caller.From(Context.User) ?? throw new HubException("Unauthorized");

    private DateTime Now => _clock.GetUtcNow().UtcDateTime;

    private CancellationToken Aborted => Context.ConnectionAborted;

    /// <summary>
    /// The conversation (offer, driver) if the caller may use it, else the same refusal whether or not it exists.
    /// Access never goes away once granted (proposals are not deleted), so a connection remembers it.
    /// </summary>
    private async Task<OfferAudience> Conversation(int offerId, int driverId)
    {
        var key = $"conversation:{offerId}:{driverId}";
        if (Context.Items.TryGetValue(key, out var known) && known is OfferAudience audience)
        {
            return audience;
        }
        if (!await OfferAccess.CanUseConversation(Db, Me, offerId, driverId, Aborted) ||
            await OfferAudience.Load(Db, offerId, Aborted) is not { } loaded)
        {
            throw new HubException(NotFound);
        }
        Context.Items[key] = loaded;
        return loaded;
    }
}
