using System.Collections.Concurrent;
using System.Reflection;
using DriverOffers.Server.Common;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;

namespace DriverOffers.Server.Realtime;

/// <summary>
/// Turns the errors a use case may raise into clear <see cref="HubException"/>s (whose message SignalR always sends),
/// as the REST error handler does for 409s. Anything else stays hidden: the client gets a generic error.
/// It also does the logging SignalR would: SignalR logs every failed call at Error with its stack trace, refusals
/// (not found, validation, rate limit: <see cref="HubException"/>) too, so its category is off by default
/// (AppSetup.Defaults) and this filter, the outermost, logs refusals at Debug and only real failures at Error.
/// </summary>
public sealed partial class HubErrorFilter(ILogger<HubErrorFilter> log) : IHubFilter
{
    /// <summary>The wire names (<c>join_offer_chat</c>), which is what a client sent and what docs/protocol.md lists.</summary>
    private static readonly ConcurrentDictionary<MethodInfo, string> WireNames = new();

    private const string ChangedFirst = "Someone else changed this first. Nothing was done; reload and try again.";

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        try
        {
            return await next(invocationContext);
        }
        catch (HubException refused)
        {
            Refused(invocationContext, refused.Message);
            throw;
        }
        catch (RuleViolationException rule)
        {
            Refused(invocationContext, rule.Message);
            throw new HubException(rule.Message);
        }
        catch (DbUpdateConcurrencyException)
        {
            Refused(invocationContext, ChangedFirst);
            throw new HubException(ChangedFirst);
        }
        catch (OperationCanceledException) when (invocationContext.Context.ConnectionAborted.IsCancellationRequested)
        {
            // The caller went away mid-call; no one is left to answer and nothing went wrong here.
            CallerLeft(log, WireName(invocationContext), invocationContext.Context.ConnectionId);
            throw;
        }
        catch (Exception error)
        {
            Failed(log, error, WireName(invocationContext), invocationContext.Context.ConnectionId);
            throw;
        }
    }

    /// <summary>A connection refused by design (the per-person cap, <see cref="ConnectionCap"/>) is one Information line:
    /// SignalR would log it at Error with a stack trace (HubConnectionHandler, off by default in AppSetup.Defaults for
    /// that reason), and still closes the connection with the refusal's words. A real failure stays an Error.</summary>
    public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        try
        {
            await next(context);
        }
        catch (HubException refused)
        {
            ConnectionRefused(log, context.Context.ConnectionId, refused.Message);
            throw;
        }
        catch (Exception error)
        {
            ConnectFailed(log, error, context.Context.ConnectionId);
            throw;
        }
    }

    /// <summary>SignalR's own "Error when processing requests" is silenced with its category (AppSetup.Defaults), so a
    /// connection its client closed by sending what the protocol can't read (malformed JSON, a frame over the size limit)
    /// is logged here, as a Warning without SignalR's stack: it is the client's fault, but an operator hunting a broken
    /// app build needs to see it. Transport failures (a phone losing signal) stay quiet.</summary>
    public async Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        if (exception is InvalidDataException unreadable)
        {
            UnreadableMessage(log, context.Context.ConnectionId, context.Context.UserIdentifier,
                unreadable.InnerException is { } cause ? $"{unreadable.Message} {cause.Message}" : unreadable.Message);
        }
        try
        {
            await next(context, exception);
        }
        catch (Exception error)
        {
            DisconnectFailed(log, error, context.Context.ConnectionId);
            throw;
        }
    }

    private void Refused(HubInvocationContext call, string reason) => Refused(log, WireName(call), call.Context.ConnectionId, reason);

    private static string WireName(HubInvocationContext call) =>
        WireNames.GetOrAdd(call.HubMethod, static m => m.GetCustomAttribute<HubMethodNameAttribute>()?.Name ?? m.Name);

    [LoggerMessage(LogLevel.Debug, "Hub call {HubMethod} on {ConnectionId} refused: {Reason}")]
    private static partial void Refused(ILogger logger, string hubMethod, string connectionId, string reason);

    [LoggerMessage(LogLevel.Debug, "Hub call {HubMethod} on {ConnectionId} ended with its connection.")]
    private static partial void CallerLeft(ILogger logger, string hubMethod, string connectionId);

    [LoggerMessage(LogLevel.Error, "Hub call {HubMethod} on {ConnectionId} failed.")]
    private static partial void Failed(ILogger logger, Exception exception, string hubMethod, string connectionId);

    [LoggerMessage(LogLevel.Information, "Hub connection {ConnectionId} refused: {Reason}")]
    private static partial void ConnectionRefused(ILogger logger, string connectionId, string reason);

    [LoggerMessage(LogLevel.Error, "Hub connection {ConnectionId} failed to connect.")]
    private static partial void ConnectFailed(ILogger logger, Exception exception, string connectionId);

    [LoggerMessage(LogLevel.Warning, "Hub connection {ConnectionId} (user {UserId}) closed: its client sent a message the hub protocol can't read: {Reason}")]
    private static partial void UnreadableMessage(ILogger logger, string connectionId, string? userId, string reason);

    [LoggerMessage(LogLevel.Error, "Hub connection {ConnectionId} failed while disconnecting.")]
    private static partial void DisconnectFailed(ILogger logger, Exception exception, string connectionId);
}
