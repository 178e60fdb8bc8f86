using Microsoft.AspNetCore.SignalR.Client;

namespace DriverOffers.Bench.Scenarios;

/// <summary>
/// N idle authenticated driver connections that send <c>heartbeat</c> like the apps do; server RSS per connection
/// (RSS with N connected minus RSS before); and the chat latency of a small active subset while they are connected.
/// </summary>
public sealed class Connections : IScenario
{
    public async Task RunAsync(BenchContext ctx, Progress progress, ScenarioResult result)
    {
        var (idleCount, activeConversations, rate, measured, heartbeatEvery) = ctx.Quick
            ? (300, 10, 50.0, TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(5))
            : (10_000, 50, 100.0, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30));
        idleCount = ctx.Options.Connections ?? idleCount;
        var convs = await ctx.CreateConversationsAsync(activeConversations, progress);
        var traffic = new ChatTraffic(ctx, convs);
        await BenchClient.ConnectAllAsync([.. traffic.All]);
        var truckIds = await ctx.Legacy.AddTrucksAsync(idleCount);
        var idle = truckIds.Select(id => new BenchClient(ctx.Url, "driver", id, ctx.Tokens.Driver(id, $"Bench Driver {id}"))).ToArray();
        using var stopHeartbeats = new CancellationTokenSource();
        Task? heartbeats = null;
        try
        {
            // Warm the server (JIT, pools) with the active subset before the baseline, so RSS growth is the connections'.
            progress.Phase("warm-up", traffic.Status);
            traffic.RunSchedule(rate, TimeSpan.FromSeconds(ctx.Quick ? 1 : 5), CancellationToken.None);
            await traffic.DrainAsync(TimeSpan.FromSeconds(10));
            await Task.Delay(1000);
            var before = ctx.ServerPid is { } p0 ? ProcessStats.RssBytes(p0) : null;

            var connected = 0;
            var clock = System.Diagnostics.Stopwatch.StartNew();
            progress.Phase("connecting idle clients", () => $"{connected}/{idleCount}");
            await BenchClient.ConnectAllAsync(idle, parallel: 100, progress: n => connected = n);
            var connectSeconds = clock.Elapsed.TotalSeconds;

            long heartbeatsSent = 0, heartbeatErrors = 0;
            heartbeats = Task.Run(async () =>
            {
                // Spread evenly: each connection beats once per interval.
                var gap = heartbeatEvery / idle.Length;
                // Paced per batch of beats, counted apart from the index: with fewer connections than a batch the index
                // wraps before a batch ends, and the loop never paused (a flood of heartbeats, --connections < 50).
                var batch = Math.Min(50, idle.Length);
                var next = System.Diagnostics.Stopwatch.StartNew();
                for (long n = 0, i = 0; !stopHeartbeats.IsCancellationRequested; n++, i = (i + 1) % idle.Length)
                {
                    _ = idle[i].Connection.InvokeAsync<System.Text.Json.JsonElement>("heartbeat", new EmptyArgs(), CancellationToken.None)
                        .ContinueWith(t => Interlocked.Increment(ref t.IsCompletedSuccessfully ? ref heartbeatsSent : ref heartbeatErrors), TaskScheduler.Default);
                    if (n % batch == batch - 1)
                    {
                        var ahead = gap * batch - next.Elapsed;
                        if (ahead > TimeSpan.Zero) await Task.Delay(ahead);
                        next.Restart();
                    }
                }
            });

            traffic.Measuring(true);
            var window = ctx.Measure();
            progress.Phase("measuring active subset", () => $"{traffic.Status()} heartbeats {heartbeatsSent}");
            traffic.RunSchedule(rate, measured, CancellationToken.None);
            await traffic.DrainAsync(TimeSpan.FromSeconds(10));
            var (cpu, peak) = window.Stop();
            var after = ctx.ServerPid is { } p1 ? ProcessStats.RssBytes(p1) : null;
            traffic.Measuring(false);

            var open = idle.Count(c => c.Connection.State == HubConnectionState.Connected);
            if (open < idle.Length) result.Errors.Add($"{idle.Length - open} idle connections dropped");
            var perConnectionKb = before is { } b && after is { } a ? (a - b) / 1024.0 / idle.Length : (double?)null;
            result.Rows.Add(new ResultRow("connections", $"{idleCount:#,0} idle connections", null, idleCount / connectSeconds, "connects/s",
                cpu, Rows.Mb(after), "< 400 MB RSS at 10,000", Rows.AtMost(Rows.Mb(after), 400),
                $"RSS {Rows.Mb(before):0} MB before → {Rows.Mb(after):0} MB after = {perConnectionKb:0.0} KB per connection; heartbeat every {heartbeatEvery.TotalSeconds:0} s each ({heartbeatsSent} sent, {heartbeatErrors} failed)"));
            var chat = traffic.Delivery.Summary();
            result.Rows.Add(new ResultRow("connections", $"chat of {activeConversations * 2} active clients", chat, rate, "msg/s",
                cpu, Rows.Mb(peak), "(reported) p99", null, "send → delivered while the idle connections heartbeat"));
            result.Details["rss_before_mb"] = Rows.Mb(before) ?? 0;
            result.Details["rss_after_mb"] = Rows.Mb(after) ?? 0;
            result.Details["kb_per_connection"] = perConnectionKb ?? 0;
            if (heartbeatErrors > 0) result.Errors.Add($"{heartbeatErrors} heartbeats failed");
            var lost = traffic.Lost();
            if (lost > 0) result.Errors.Add($"{lost} acknowledged messages never reached the other side");
            Rows.AddErrors(result, traffic);
        }
        finally
        {
            await stopHeartbeats.CancelAsync();
            if (heartbeats is not null) await heartbeats;
            progress.Phase("disconnecting");
            await BenchClient.DisposeAllAsync(idle);
            await BenchClient.DisposeAllAsync(traffic.All);
        }
    }
}
