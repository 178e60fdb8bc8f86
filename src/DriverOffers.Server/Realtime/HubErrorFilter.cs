using DriverOffers.Server.Common;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;

namespace DriverOffers.Server.Realtime;

/// <summary>
/// Turns the errors a use case may raise into clear <see cref="HubException"/>s (whose message SignalR always sends),
/// as the REST error handler does for 409s. Anything else stays hidden: SignalR logs it and sends a generic error.
/// </summary>
public sealed class HubErrorFilter : IHubFilter
{
    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        try
        {
            return await next(invocationContext);
        }
        catch (RuleViolationException rule)
        {
            throw new HubException(rule.Message);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new HubException("Someone else changed this first. Nothing was done; reload and try again.");
        }
    }
}
