using DriverOffers.Server.Common;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace DriverOffers.Server.Realtime;

/// <summary>The one hub, at <c>/hubs/offers</c>. Methods are the seed's names; see docs/protocol.md.</summary>
[Authorize]
public sealed class OffersHub : Hub<IOffersClient>
{
    public const string Path = "/hubs/offers";

    public override async Task OnConnectedAsync()
    {
        var caller = Caller.From(Context.User) ?? throw new HubException("Unauthorized");
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
        await base.OnConnectedAsync();
    }
}
