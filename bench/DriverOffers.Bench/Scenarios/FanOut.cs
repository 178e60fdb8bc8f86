using System.Collections.Concurrent;
using System.Diagnostics;

namespace DriverOffers.Bench.Scenarios;

/// <summary>
/// One dispatcher sends one offer to 1,000 connected drivers (one send-to-drivers call, the most one call
/// takes; proposals stored first). Measured: from the call until the last driver has <c>offer_created</c>.
/// 20 repetitions, each a new offer.
/// </summary>
public sealed class FanOut : IScenario
{
    public async Task RunAsync(BenchContext ctx, Progress progress, ScenarioResult result)
    {
        var (driverCount, repetitions) = ctx.Quick ? (100, 3) : (1000, 20);
        progress.Phase("setup");
        var dispatcherId = (await ctx.Legacy.AddDispatchersAsync(1))[0];
        var dispatcherToken = ctx.Tokens.Dispatcher(dispatcherId, "Bench Dispatcher");
        var truckIds = await ctx.Legacy.AddTrucksAsync(driverCount);
        var drivers = truckIds.Select(id => new BenchClient(ctx.Url, "driver", id, ctx.Tokens.Driver(id, $"Bench Driver {id}"))).ToArray();

        var current = 0;
        var received = new ConcurrentDictionary<int, long>();
        long duplicates = 0, stray = 0;
        foreach (var d in drivers)
        {
            var driverId = d.Id;
            d.On("offer_created", json =>
            {
                var now = Stopwatch.GetTimestamp();
                var offerId = json.GetProperty("id").GetInt32();
                if (offerId != Volatile.Read(ref current))
                {
                    Interlocked.Increment(ref stray);
                }
                else if (!received.TryAdd(driverId, now))
                {
                    Interlocked.Increment(ref duplicates);
                }
            });
        }
        var connected = 0;
        progress.Phase("connecting", () => $"{connected}/{driverCount}");
        await BenchClient.ConnectAllAsync(drivers, progress: n => connected = n);
        try
        {
            var lastDriver = new LatencyRecorder();
            var perDriver = new LatencyRecorder();
            var sendCalls = new LatencyRecorder();
            var window = ctx.Measure();
            for (var rep = 0; rep < repetitions + 1; rep++)
            {
                progress.Phase($"repetition {rep}/{repetitions}", () => $"{received.Count}/{driverCount} drivers have it");
                var offerId = await ctx.Api.CreateOfferAsync(dispatcherToken, rep);
                received.Clear();
                Volatile.Write(ref current, offerId);
                var start = Stopwatch.GetTimestamp();
                await ctx.Api.SendToDriversAsync(dispatcherToken, offerId, truckIds);
                var sent = Stopwatch.GetTimestamp();
                var clock = Stopwatch.StartNew();
                while (received.Count < driverCount && clock.Elapsed < TimeSpan.FromSeconds(15))
                {
                    await Task.Delay(1);
                }
                if (received.Count < driverCount)
                {
                    result.Errors.Add($"offer {offerId}: only {received.Count} of {driverCount} drivers got offer_created within 15 s");
                    break;
                }
                // Repetition 0 warms the server up (JIT, caches) and is not counted.
                if (rep == 0) continue;
                lastDriver.Add(LatencyRecorder.Ms(start, received.Values.Max()));
                sendCalls.Add(LatencyRecorder.Ms(start, sent));
                foreach (var t in received.Values) perDriver.Add(LatencyRecorder.Ms(start, t));
                await Task.Delay(ctx.Quick ? 50 : 200);
            }
            var (cpu, rss) = window.Stop();
            var last = lastDriver.Summary();
            result.Rows.Add(new ResultRow("fan-out", $"offer → last of {driverCount} drivers", last, driverCount / (last.P50 / 1000), "deliveries/s",
                cpu, Rows.Mb(rss), "p99 ≤ 50 ms", Rows.AtMost(last.P99, 50),
                $"{repetitions} repetitions (after 1 warm-up); REST send-to-drivers calls alone: p50 {sendCalls.Summary().P50:0.0} ms"));
            result.Rows.Add(new ResultRow("fan-out", "offer → each driver", perDriver.Summary(), null, "", cpu, Rows.Mb(rss), "(reported)", null, ""));
            if (duplicates > 0) result.Errors.Add($"{duplicates} duplicate offer_created events");
            result.Details["stray_offer_created_events"] = stray;
        }
        finally
        {
            await BenchClient.DisposeAllAsync(drivers);
        }
    }
}
