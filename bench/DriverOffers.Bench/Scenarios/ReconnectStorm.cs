using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.SignalR.Client;

namespace DriverOffers.Bench.Scenarios;

/// <summary>
/// 2,000 clients chatting; the server process is SIGKILLed mid-traffic and started again on the same port and
/// database. Each client reconnects on its own, then asks REST for everything after the last id it has (the
/// protocol's catch-up) and resends what was never acknowledged with the same client_message_id. Measured: kill →
/// every client reconnected and caught up. Checked: every acknowledged message is stored once, and every client
/// ends with exactly the stored conversation.
/// </summary>
public sealed class ReconnectStorm : IScenario
{
    public async Task RunAsync(BenchContext ctx, Progress progress, ScenarioResult result)
    {
        if (ctx.Server is null)
        {
            result.Errors.Add("reconnect-storm needs the bench to start the server (it kills it); not run with --url");
            return;
        }
        var (conversations, rate, before) = ctx.Quick ? (50, 100.0, TimeSpan.FromSeconds(2)) : (1000, 500.0, TimeSpan.FromSeconds(5));
        var convs = await ctx.CreateConversationsAsync(conversations, progress);
        var traffic = new ChatTraffic(ctx, convs, new StormRetry(), new ServerGate(ctx.Url));
        var clients = traffic.All.ToArray();

        // Each client's own view of its conversation, keyed by message id as the apps keep it.
        var views = clients.ToDictionary(c => c, _ => new ConcurrentDictionary<long, string?>());
        // Catch-up starts after the last id that came through the ordered stream (new_message, REST), not after the
        // client's own acks: an ack can overtake the broadcast of an earlier message from the other side.
        var streamed = clients.ToDictionary(c => c, _ => new StrongBox<long>(0));
        traffic.Seen = (conversation, driverSide, m, isAck) =>
        {
            var client = driverSide ? traffic.Drivers[conversation] : traffic.Dispatchers[conversation];
            views[client][m.Id] = m.ClientMessageId;
            if (!isAck) Max(streamed[client], m.Id);
        };

        var caughtUp = new ConcurrentDictionary<BenchClient, long>();
        var catchUpErrors = new ConcurrentQueue<string>();
        long killedAt = 0;
        for (var i = 0; i < conversations; i++)
        {
            foreach (var (client, conv) in new[] { (traffic.Dispatchers[i], convs[i]), (traffic.Drivers[i], convs[i]) })
            {
                client.Connection.Reconnected += async _ =>
                {
                    try
                    {
                        var view = views[client];
                        var after = Volatile.Read(ref streamed[client].Value);
                        while (true)
                        {
                            var page = await ctx.Api.ChatAfterAsync(client.Token, conv.OfferId, conv.DriverId, after);
                            foreach (var m in page)
                            {
                                view[m.Id] = m.ClientMessageId;
                                Max(streamed[client], m.Id);
                            }
                            if (page.Count < Api.MaxPage) break;
                            after = page[^1].Id;
                        }
                        caughtUp[client] = Stopwatch.GetTimestamp();
                    }
                    catch (Exception e)
                    {
                        catchUpErrors.Enqueue($"catch-up of {client.UserType} {client.Id}: {e.Message}");
                    }
                };
            }
        }

        var connected = 0;
        progress.Phase("connecting", () => $"{connected}/{clients.Length}");
        await BenchClient.ConnectAllAsync(clients, progress: n => connected = n);
        try
        {
            progress.Phase("chatting", traffic.Status);
            traffic.RunSchedule(rate, before, CancellationToken.None);
            // Keep sending through the kill, so some sends are in flight when the process dies.
            traffic.Outage(true);
            var tail = Task.Run(() => traffic.RunSchedule(rate, TimeSpan.FromMilliseconds(600), CancellationToken.None));
            await Task.Delay(200);
            var ackedBeforeKill = traffic.Records.Where(r => r.Record.AckId is not null).Select(r => r.Cmid).ToHashSet();
            progress.Phase("killing the server");
            killedAt = Stopwatch.GetTimestamp();
            await ctx.Server.KillAsync();
            await tail;
            progress.Phase("restarting", () => $"reconnected+caught up {caughtUp.Count}/{clients.Length}");
            await ctx.Server.StartAsync(TimeSpan.FromSeconds(60));
            var readyAt = Stopwatch.GetTimestamp();
            var window = ctx.Measure();

            var clock = Stopwatch.StartNew();
            while (caughtUp.Count < clients.Length && clock.Elapsed < TimeSpan.FromSeconds(60) && catchUpErrors.IsEmpty)
            {
                await Task.Delay(20);
            }
            var allBackAt = caughtUp.IsEmpty ? Stopwatch.GetTimestamp() : caughtUp.Values.Max();
            var (cpu, rss) = window.Stop();
            traffic.Outage(false);
            if (caughtUp.Count < clients.Length)
            {
                result.Errors.Add($"only {caughtUp.Count} of {clients.Length} clients reconnected and caught up within 60 s");
            }
            foreach (var e in catchUpErrors.Take(10)) result.Errors.Add(e);

            progress.Phase("resending unacknowledged", traffic.Status);
            var unacked = traffic.Records.Count(r => r.Record.Failed);
            await traffic.ResendFailedAsync();
            await traffic.DrainAsync(TimeSpan.FromSeconds(20));
            await Task.Delay(500);

            progress.Phase("verifying");
            var total = LatencyRecorder.Ms(killedAt, allBackAt);
            var reconnectTimes = new LatencyRecorder();
            foreach (var t in caughtUp.Values) reconnectTimes.Add(LatencyRecorder.Ms(killedAt, t));
            result.Rows.Add(new ResultRow("reconnect-storm", $"kill → {clients.Length} reconnected + caught up", reconnectTimes.Summary(),
                clients.Length / (total / 1000), "clients/s", cpu, Rows.Mb(rss), "≤ 10 s, nothing lost", total <= 10_000,
                $"all back {total / 1000:0.00} s after the kill; server restart (kill → ready) {LatencyRecorder.Ms(killedAt, readyAt) / 1000:0.00} s; " +
                $"{ackedBeforeKill.Count} messages acknowledged before the kill, {unacked} unacknowledged sends resent"));
            result.Details["kill_to_all_caught_up_ms"] = total;
            result.Details["kill_to_ready_ms"] = LatencyRecorder.Ms(killedAt, readyAt);
            result.Details["acknowledged_before_kill"] = ackedBeforeKill.Count;
            result.Details["resent"] = unacked;

            Rows.AddErrors(result, traffic);
            result.Errors.AddRange((await traffic.VerifyStoredAsync(ctx.Api)).Take(20));
            await VerifyViewsAsync(ctx, convs, traffic, views, ackedBeforeKill, result);
        }
        finally
        {
            await BenchClient.DisposeAllAsync(clients);
        }
    }

    /// <summary>Each client must hold exactly the stored bench messages of its conversation, and every message
    /// acknowledged before the kill must be among them once.</summary>
    private static async Task VerifyViewsAsync(BenchContext ctx, Conversation[] convs, ChatTraffic traffic,
        Dictionary<BenchClient, ConcurrentDictionary<long, string?>> views, HashSet<string> ackedBeforeKill, ScenarioResult result)
    {
        var problems = new ConcurrentQueue<string>();
        var ackedByConversation = traffic.Records.Where(r => ackedBeforeKill.Contains(r.Cmid))
            .ToLookup(r => r.Record.Conversation, r => r.Cmid);
        await Parallel.ForEachAsync(Enumerable.Range(0, convs.Length), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
        {
            var c = convs[i];
            var stored = await ctx.Api.WholeChatAsync(c.DispatcherToken, c.OfferId, c.DriverId);
            var storedIds = stored.Where(m => m.MessageType == "text").Select(m => m.Id).ToHashSet();
            foreach (var client in new[] { traffic.Dispatchers[i], traffic.Drivers[i] })
            {
                var view = views[client];
                var missing = storedIds.Where(id => !view.ContainsKey(id)).ToList();
                if (missing.Count > 0)
                {
                    problems.Enqueue($"{client.UserType} {client.Id} (offer {c.OfferId}) is missing stored message(s) {string.Join(", ", missing.Take(5))} after catch-up");
                }
                var cmids = view.Values.Where(v => v is not null).GroupBy(v => v).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
                if (cmids.Count > 0)
                {
                    problems.Enqueue($"{client.UserType} {client.Id} holds {cmids[0]} under two ids");
                }
            }
            var storedCmids = stored.Where(m => m.ClientMessageId is not null).GroupBy(m => m.ClientMessageId!).ToDictionary(g => g.Key, g => g.Count());
            foreach (var cmid in ackedByConversation[i])
            {
                if (!storedCmids.TryGetValue(cmid, out var n) || n != 1)
                {
                    problems.Enqueue($"{cmid} was acknowledged before the kill but is stored {(storedCmids.GetValueOrDefault(cmid))} times");
                }
            }
        });
        result.Errors.AddRange(problems.Take(20));
        if (problems.Count > 20) result.Errors.Add($"… {problems.Count - 20} more");
    }

    private static void Max(StrongBox<long> box, long value)
    {
        long current;
        while ((current = Volatile.Read(ref box.Value)) < value && Interlocked.CompareExchange(ref box.Value, value, current) != current)
        {
        }
    }

    /// <summary>Reconnect quickly with jitter (so 2,000 clients don't retry in lock-step), for up to a minute.</summary>
    private sealed class StormRetry : IRetryPolicy
    {
        public TimeSpan? NextRetryDelay(RetryContext retryContext) =>
            retryContext.ElapsedTime > TimeSpan.FromSeconds(60)
                ? null
                : TimeSpan.FromMilliseconds(retryContext.PreviousRetryCount == 0 ? Random.Shared.Next(0, 100) : Random.Shared.Next(100, 400));
    }
}
