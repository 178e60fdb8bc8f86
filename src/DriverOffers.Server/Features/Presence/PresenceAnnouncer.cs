using System.Threading.Channels;
using DriverOffers.Server.Common;
using DriverOffers.Server.Data;
using DriverOffers.Server.Realtime;
using Microsoft.AspNetCore.SignalR;

namespace DriverOffers.Server.Features.Presence;

/// <summary>
/// Announces presence changes through one task that takes everything queued at once (<see cref="AnnouncePresence.MaxBatch"/>)
/// and asks for the audiences of the whole batch in one query per kind of person, as <see cref="SessionWriter"/> does for
/// the session rows. A server's 1,000 connections dropping at once made 1,000 audience queries, one per driver, each
/// holding a pooled context (docs/decisions/117-guesses-strangers-make-and-sign-outs-elsewhere.md). Callers still wait
/// for their change to be sent, and changes go out in the order they came.
/// </summary>
public sealed partial class PresenceAnnouncer(IServiceScopeFactory scopes, IHubContext<OffersHub, IOffersClient> hub,
    ILogger<PresenceAnnouncer> log) : BackgroundService
{
    /// <summary>One caller's changes: a sweep's are one item, so they are always in one batch.</summary>
    private sealed record Item(IReadOnlyList<PresenceChange> Changes, TaskCompletionSource Done);

    private readonly FailureStreak _failures = new(log, "Announcing presence changes");

    private readonly Channel<Item> _queue = Channel.CreateUnbounded<Item>(new() { SingleReader = true });

    public Task Announce(IReadOnlyList<PresenceChange> changes, CancellationToken ct)
    {
        var item = new Item(changes, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        // Shutting down: nobody is left to tell, and start-up marks everyone offline.
        return changes.Count == 0 || !_queue.Writer.TryWrite(item) ? Task.CompletedTask : item.Done.Task.WaitAsync(ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Item>();
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                var count = 0;
                while (count < AnnouncePresence.MaxBatch && _queue.Reader.TryRead(out var item))
                {
                    batch.Add(item);
                    count += item.Changes.Count;
                }
                try
                {
                    foreach (var chunk in batch.SelectMany(i => i.Changes).Chunk(AnnouncePresence.MaxBatch))
                    {
                        await Send(chunk, stoppingToken);
                    }
                    _failures.Succeeded();
                    batch.ForEach(i => i.Done.TrySetResult());
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    _failures.Failed(e);
                    batch.ForEach(i => i.Done.TrySetException(e));
                }
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        _queue.Writer.TryComplete();
        batch.ForEach(i => i.Done.TrySetResult());
        while (_queue.Reader.TryRead(out var left))
        {
            left.Done.TrySetResult();
        }
    }

    private async Task Send(PresenceChange[] changes, CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var queries = await AnnouncePresence.Execute(scope.ServiceProvider.GetRequiredService<AppDb>(), hub, changes, ct);
        if (log.IsEnabled(LogLevel.Debug))
        {
            var drivers = changes.Count(c => c.Person.UserType == Caller.DriverRole);
            Announced(log, changes.Length, drivers, queries);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Announced {Changes} presence changes ({Drivers} of drivers) with {Queries} audience queries")]
    private static partial void Announced(ILogger log, int changes, int drivers, int queries);
}
