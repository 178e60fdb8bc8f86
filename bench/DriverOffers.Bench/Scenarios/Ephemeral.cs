using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;

namespace DriverOffers.Bench.Scenarios;

/// <summary>
/// Typing and presence: events that are never stored and may be lost. Typing: both sides of each conversation have it
/// open (<c>join_offer_chat</c>) and alternate <c>typing_start</c>/<c>typing_stop</c>; the rate is ramped and the figure
/// is the most <c>user_typing</c> events/s delivered with p99 ≤ 20 ms (each side keeps one event in flight, so latency is
/// unambiguous). Presence: drivers connect and disconnect while dispatchers watch <c>presence_changed</c>.
/// </summary>
public sealed class Ephemeral : IScenario
{
    public async Task RunAsync(BenchContext ctx, Progress progress, ScenarioResult result)
    {
        var (conversations, steps, stepLength, churners, churnSeconds) = ctx.Quick
            ? (50, new double[] { 200, 500 }, TimeSpan.FromSeconds(2), 10, 3)
            : (500, new double[] { 1000, 2500, 5000, 7500, 10000, 12500, 15000 }, TimeSpan.FromSeconds(6), 50, 10);
        var convs = await ctx.CreateConversationsAsync(conversations, progress);
        var traffic = new ChatTraffic(ctx, convs);
        var senders = new Sender[conversations * 2];
        var latency = new LatencyRecorder();
        long received = 0, strays = 0, presenceEvents = 0;
        var churnStarted = new ConcurrentDictionary<int, long>();
        var presenceLatency = new LatencyRecorder();
        for (var i = 0; i < conversations; i++)
        {
            var dispatcher = senders[2 * i] = new Sender(traffic.Dispatchers[i], convs[i]);
            var driver = senders[2 * i + 1] = new Sender(traffic.Drivers[i], convs[i]);
            // The dispatcher receives what the driver typed and the other way round.
            foreach (var (listener, other) in new[] { (dispatcher, driver), (driver, dispatcher) })
            {
                listener.Client.On("user_typing", json =>
                {
                    var now = Stopwatch.GetTimestamp();
                    if (json.GetProperty("user_type").GetString() != other.Client.UserType) return; // own echo
                    var since = Interlocked.Exchange(ref other.PendingSince, 0);
                    if (since == 0)
                    {
                        Interlocked.Increment(ref strays);
                        return;
                    }
                    Interlocked.Increment(ref received);
                    latency.Add(LatencyRecorder.Ms(since, now));
                });
                listener.Client.On("presence_changed", json =>
                {
                    var now = Stopwatch.GetTimestamp();
                    Interlocked.Increment(ref presenceEvents);
                    if (json.GetProperty("is_online").GetBoolean() && json.GetProperty("user_type").GetString() == "driver" &&
                        churnStarted.TryRemove(json.GetProperty("user_id").GetInt32(), out var since))
                    {
                        presenceLatency.Add(LatencyRecorder.Ms(since, now));
                    }
                });
            }
        }
        var connected = 0;
        progress.Phase("connecting", () => $"{connected}/{senders.Length}");
        await BenchClient.ConnectAllAsync([.. traffic.All], progress: n => connected = n);
        try
        {
            await Parallel.ForEachAsync(senders, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (s, ct) =>
                await s.Client.Connection.InvokeAsync("join_offer_chat", new ConversationArgs(s.Conversation.OfferId, s.Conversation.DriverId), ct));

            ResultRow? best = null;
            var ramp = new List<object>();
            foreach (var rate in steps.Prepend(steps[0]).Select((r, i) => (rate: r, warmup: i == 0)))
            {
                var index = latency.Count;
                var receivedBefore = Interlocked.Read(ref received);
                var window = ctx.Measure();
                progress.Phase($"typing {rate.rate:0}/s offered", () => $"received {Interlocked.Read(ref received)}");
                var (offered, skipped, timedOut) = RunTyping(senders, rate.rate, stepLength);
                await Task.Delay(300);
                var (cpu, rss) = window.Stop();
                if (rate.warmup) continue;
                var got = (Interlocked.Read(ref received) - receivedBefore) / stepLength.TotalSeconds;
                var p = latency.SummarySince(index);
                var healthy = p.P99 <= 20 && got >= rate.rate * 0.95;
                ramp.Add(new { offered = rate.rate, delivered_per_s = Math.Round(got), p50_ms = p.P50, p99_ms = p.P99, skipped, timed_out = timedOut, cpu_percent = cpu, healthy });
                Console.Error.WriteLine($"    typing offered {rate.rate,6:0}/s  delivered {got,7:0}/s  p50 {p.P50,6:0.00} ms  p99 {p.P99,7:0.00} ms  server CPU {cpu,4:0}%  {(healthy ? "ok" : "over")}");
                if (!healthy) break;
                best = new ResultRow("ephemeral", "typing events/s", p, got, "events/s", cpu, Rows.Mb(rss),
                    "≥ 5,000 events/s at p99 ≤ 20 ms", Rows.AtLeast(got, 5000),
                    $"highest healthy step of the ramp, {conversations * 2} clients, {stepLength.TotalSeconds:0} s per step; typing_start/typing_stop → user_typing at the other side");
            }
            result.Details["typing_ramp"] = ramp;
            result.Rows.Add(best ?? new ResultRow("ephemeral", "typing events/s", null, 0, "events/s", null, null,
                "≥ 5,000 events/s at p99 ≤ 20 ms", false, "not even the first step was healthy"));

            // Presence: drivers with an offer from one of the watching dispatchers come and go; that dispatcher gets
            // presence_changed (online, then offline). Latency = connect started → the dispatcher has "online".
            progress.Phase("presence churn", () => $"presence events {Interlocked.Read(ref presenceEvents)}");
            var truckIds = await ctx.Legacy.AddTrucksAsync(churners);
            for (var j = 0; j < churners; j++)
            {
                await ctx.Api.CreateOfferAsync(convs[j].DispatcherToken, 10_000 + j, [truckIds[j]]);
            }
            var presenceBefore = Interlocked.Read(ref presenceEvents);
            var pw = ctx.Measure();
            var clock = Stopwatch.StartNew();
            long cycles = 0;
            await Parallel.ForEachAsync(truckIds, async (id, ct) =>
            {
                while (clock.Elapsed < TimeSpan.FromSeconds(churnSeconds))
                {
                    var c = new BenchClient(ctx.Url, "driver", id, ctx.Tokens.Driver(id, $"Churn {id}"));
                    churnStarted[id] = Stopwatch.GetTimestamp();
                    await c.StartAsync(ct);
                    await Task.Delay(200, ct);
                    await c.DisposeAsync();
                    Interlocked.Increment(ref cycles);
                    await Task.Delay(200, ct);
                }
            });
            await Task.Delay(500);
            var (pcpu, prss) = pw.Stop();
            var presenceRate = (Interlocked.Read(ref presenceEvents) - presenceBefore) / clock.Elapsed.TotalSeconds;
            var presence = presenceLatency.Summary();
            result.Rows.Add(new ResultRow("ephemeral", "presence: connect → online seen", presence, presenceRate, "events/s",
                pcpu, Rows.Mb(prss), "(reported)", null,
                $"{churners} drivers connecting/disconnecting for {churnSeconds} s ({cycles} cycles), each watched by its dispatcher"));
            // Presence may be lost by design (never stored); how much arrived is reported, not judged.
            result.Details["presence_online_seen"] = presence.Count;
            result.Details["presence_connects"] = cycles;
            result.Details["typing_strays"] = strays;
        }
        finally
        {
            await BenchClient.DisposeAllAsync(traffic.All);
        }
    }

    /// <summary>Offers typing events at a fixed rate round-robin over senders; a sender with one still in flight skips its turn
    /// (after a second it gives up on it: typing may be lost).</summary>
    private static (long Offered, long Skipped, long TimedOut) RunTyping(Sender[] senders, double perSecond, TimeSpan duration)
    {
        long k = 0, offered = 0, skipped = 0, timedOut = 0;
        var total = (long)(perSecond * duration.TotalSeconds);
        var clock = Stopwatch.StartNew();
        var giveUp = Stopwatch.Frequency;
        while (k < total)
        {
            var due = Math.Min(total, (long)(clock.Elapsed.TotalSeconds * perSecond) + 1);
            for (; k < due; k++)
            {
                var s = senders[k % senders.Length];
                var now = Stopwatch.GetTimestamp();
                var pending = Volatile.Read(ref s.PendingSince);
                if (pending != 0 && now - pending < giveUp)
                {
                    skipped++;
                    continue;
                }
                if (pending != 0) timedOut++;
                Volatile.Write(ref s.PendingSince, now);
                s.Typing = !s.Typing;
                _ = s.Client.Connection.SendAsync(s.Typing ? "typing_start" : "typing_stop", new ConversationArgs(s.Conversation.OfferId, s.Conversation.DriverId));
                offered++;
            }
            Thread.Sleep(1);
        }
        return (offered, skipped, timedOut);
    }

    private sealed class Sender(BenchClient client, Conversation conversation)
    {
        public BenchClient Client { get; } = client;
        public Conversation Conversation { get; } = conversation;
        public long PendingSince;
        public bool Typing;
    }
}
