using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace DriverOffers.Server.Realtime;

/// <summary>
/// SignalR's in-memory lifetime manager (one server, no Redis) with its groups kept compactly: every driver connection
/// is alone in its own group (<see cref="HubGroups.Driver"/>), and SignalR's default keeps each group as a concurrent
/// dictionary, ~0.6 KB for one member, ~6 MB at 10,000 drivers. Here a group is an array of its connections, replaced on
/// each change (changes are connects, disconnects and chat joins; sends only read), and each connection's own groups are
/// remembered so a disconnect doesn't look through every group. Sends behave as the default's: one serialization per
/// protocol for all recipients, a connection in two of the groups named gets the message twice, slow connections are
/// awaited together. Everything but groups is the default manager's (docs/decisions/089-connection-memory-sixth-pass.md).
/// </summary>
public sealed class CompactGroupsLifetimeManager<THub>(ILogger<DefaultHubLifetimeManager<THub>> logger) : HubLifetimeManager<THub>
    where THub : Hub
{
    private readonly DefaultHubLifetimeManager<THub> _inner = new(logger);

    /// <summary>Read without a lock by sends; replaced only under <see cref="_lock"/>.</summary>
    private readonly ConcurrentDictionary<string, HubConnectionContext[]> _groups = new(StringComparer.Ordinal);

    /// <summary>Each open connection and the groups it is in; only touched under <see cref="_lock"/>.</summary>
    private readonly Dictionary<string, Member> _members = new(StringComparer.Ordinal);

    private readonly Lock _lock = new();

    private readonly record struct Member(HubConnectionContext Connection, string[] Groups);

    public override async Task OnConnectedAsync(HubConnectionContext connection)
    {
        await _inner.OnConnectedAsync(connection);
        lock (_lock)
        {
            _members[connection.ConnectionId] = new Member(connection, []);
        }
    }

    public override async Task OnDisconnectedAsync(HubConnectionContext connection)
    {
        lock (_lock)
        {
            if (_members.Remove(connection.ConnectionId, out var member))
            {
                foreach (var group in member.Groups)
                {
                    Leave(group, connection);
                }
            }
        }
        await _inner.OnDisconnectedAsync(connection);
    }

    public override Task AddToGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connectionId);
        ArgumentNullException.ThrowIfNull(groupName);
        lock (_lock)
        {
            // As the default: a connection that is gone (or not yet here) is not added.
            if (_members.TryGetValue(connectionId, out var member) && Array.IndexOf(member.Groups, groupName) < 0)
            {
                _members[connectionId] = member with { Groups = [.. member.Groups, groupName] };
                _groups[groupName] = _groups.TryGetValue(groupName, out var current) ? [.. current, member.Connection] : [member.Connection];
            }
        }
        return Task.CompletedTask;
    }

    public override Task RemoveFromGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connectionId);
        ArgumentNullException.ThrowIfNull(groupName);
        lock (_lock)
        {
            if (_members.TryGetValue(connectionId, out var member) && Array.IndexOf(member.Groups, groupName) >= 0)
            {
                _members[connectionId] = member with { Groups = [.. member.Groups.Where(g => g != groupName)] };
                Leave(groupName, member.Connection);
            }
        }
        return Task.CompletedTask;
    }

    /// <summary>How many connections <paramref name="groupName"/> has now (for tests and diagnostics).</summary>
    internal int ConnectionsIn(string groupName) => _groups.TryGetValue(groupName, out var connections) ? connections.Length : 0;

    /// <summary>Under <see cref="_lock"/>.</summary>
    private void Leave(string groupName, HubConnectionContext connection)
    {
        if (!_groups.TryGetValue(groupName, out var current))
        {
            return;
        }
        var left = current.Where(c => c != connection).ToArray();
        if (left.Length == 0)
        {
            _groups.TryRemove(groupName, out _);
        }
        else
        {
            _groups[groupName] = left;
        }
    }

    public override Task SendGroupAsync(string groupName, string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(groupName);
        var send = new Send(methodName, args, cancellationToken);
        send.To(_groups.GetValueOrDefault(groupName), except: null);
        return send.Completion;
    }

    public override Task SendGroupsAsync(IReadOnlyList<string> groupNames, string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        var send = new Send(methodName, args, cancellationToken);
        foreach (var groupName in groupNames)
        {
            if (string.IsNullOrEmpty(groupName))
            {
                throw new InvalidOperationException("Cannot send to an empty group name.");
            }
            send.To(_groups.GetValueOrDefault(groupName), except: null);
        }
        return send.Completion;
    }

    public override Task SendGroupExceptAsync(string groupName, string methodName, object?[] args, IReadOnlyList<string> excludedConnectionIds,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(groupName);
        var send = new Send(methodName, args, cancellationToken);
        send.To(_groups.GetValueOrDefault(groupName), excludedConnectionIds);
        return send.Completion;
    }

    /// <summary>One message to many connections: serialized once per protocol, on first use; writes that don't complete
    /// at once are awaited together.</summary>
    private sealed class Send(string methodName, object?[] args, CancellationToken ct)
    {
        private SerializedHubMessage? _message;
        private List<Task>? _pending;

        public Task Completion => _pending is null ? Task.CompletedTask : Task.WhenAll(_pending);

        public void To(HubConnectionContext[]? connections, IReadOnlyList<string>? except)
        {
            foreach (var connection in connections ?? [])
            {
                if (except is not null && except.Contains(connection.ConnectionId))
                {
                    continue;
                }
                _message ??= new SerializedHubMessage(new InvocationMessage(methodName, args));
                var write = connection.WriteAsync(_message, ct);
                if (write.IsCompletedSuccessfully)
                {
                    // Lets a pooled ValueTask source be reused.
                    write.GetAwaiter().GetResult();
                }
                else
                {
                    (_pending ??= []).Add(write.AsTask());
                }
            }
        }
    }

    public override Task SendAllAsync(string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        _inner.SendAllAsync(methodName, args, cancellationToken);

    public override Task SendAllExceptAsync(string methodName, object?[] args, IReadOnlyList<string> excludedConnectionIds,
        CancellationToken cancellationToken = default) =>
        _inner.SendAllExceptAsync(methodName, args, excludedConnectionIds, cancellationToken);

    public override Task SendConnectionAsync(string connectionId, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        _inner.SendConnectionAsync(connectionId, methodName, args, cancellationToken);

    public override Task SendConnectionsAsync(IReadOnlyList<string> connectionIds, string methodName, object?[] args,
        CancellationToken cancellationToken = default) =>
        _inner.SendConnectionsAsync(connectionIds, methodName, args, cancellationToken);

    public override Task SendUserAsync(string userId, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        _inner.SendUserAsync(userId, methodName, args, cancellationToken);

    public override Task SendUsersAsync(IReadOnlyList<string> userIds, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        _inner.SendUsersAsync(userIds, methodName, args, cancellationToken);

    public override Task<T> InvokeConnectionAsync<T>(string connectionId, string methodName, object?[] args, CancellationToken cancellationToken) =>
        _inner.InvokeConnectionAsync<T>(connectionId, methodName, args, cancellationToken);

    public override Task SetConnectionResultAsync(string connectionId, CompletionMessage result) =>
        _inner.SetConnectionResultAsync(connectionId, result);

    public override bool TryGetReturnType(string invocationId, [NotNullWhen(true)] out Type? type) =>
        _inner.TryGetReturnType(invocationId, out type);
}
