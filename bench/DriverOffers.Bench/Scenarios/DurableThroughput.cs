using System.Globalization;

namespace DriverOffers.Bench.Scenarios;

/// <summary>
/// Ramps the offered message rate in steps; each message is durably stored before it is acknowledged. The figure is
/// the highest step whose stored rate kept up with the offer (≥ 95 %) at p99 acknowledgement ≤ 100 ms.
/// </summary>
public sealed class DurableThroughput : IScenario
{
    public async Task RunAsync(BenchContext ctx, Progress progress, ScenarioResult result)
    {
        var (conversations, steps, stepLength) = ctx.Quick
            ? (50, new double[] { 200, 500 }, TimeSpan.FromSeconds(2))
            : (500, new double[] { 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 10000, 12000, 14000, 16000, 20000 }, TimeSpan.FromSeconds(8));
        var convs = await ctx.CreateConversationsAsync(conversations, progress);
        var traffic = new ChatTraffic(ctx, convs);
        var connected = 0;
        progress.Phase("connecting", () => $"{connected}/{conversations * 2}");
        await BenchClient.ConnectAllAsync([.. traffic.All], progress: n => connected = n);
        try
        {
            progress.Phase("warm-up", traffic.Status);
            traffic.RunSchedule(steps[0], TimeSpan.FromSeconds(ctx.Quick ? 1 : 3), CancellationToken.None);
            await traffic.DrainAsync(TimeSpan.FromSeconds(10));
            traffic.Measuring(true);

            ResultRow? best = null;
            var ramp = new List<object>();
            foreach (var rate in steps)
            {
                var errorsBefore = traffic.Errors;
                var ackIndex = traffic.Ack.Count;
                var ackedBefore = traffic.Acked;
                var window = ctx.Measure();
                progress.Phase($"{rate:0} msg/s offered", traffic.Status);
                var clock = System.Diagnostics.Stopwatch.StartNew();
                traffic.RunSchedule(rate, stepLength, CancellationToken.None, maxInFlight: (long)rate * 2);
                // A send counts for this step when it is acknowledged within the step's time plus the 100 ms allowance.
                await traffic.DrainAsync(TimeSpan.FromSeconds(5));
                var (cpu, rss) = window.Stop();
                var ack = traffic.Ack.SummarySince(ackIndex);
                var stored = (traffic.Acked - ackedBefore) / stepLength.TotalSeconds;
                var healthy = traffic.Errors == errorsBefore && ack.P99 <= 100 && stored >= rate * 0.95 && traffic.InFlight == 0;
                ramp.Add(new { offered = rate, stored_per_s = Math.Round(stored), p50_ms = ack.P50, p99_ms = ack.P99, max_ms = ack.Max, cpu_percent = cpu, healthy, seconds = clock.Elapsed.TotalSeconds });
                Console.Error.WriteLine($"    offered {rate,6:0}/s  stored {stored,7:0}/s  ack p50 {ack.P50,7:0.00} ms  p99 {ack.P99,8:0.00} ms  server CPU {cpu,4:0}%  {(healthy ? "ok" : "over")}");
                if (!healthy)
                {
                    break;
                }
                best = new ResultRow("durable-throughput", "stored msgs/s (ack)", ack, stored, "msg/s", cpu, Rows.Mb(rss),
                    "≥ 5,000 msg/s at p99 ack ≤ 100 ms", Rows.AtLeast(stored, 5000),
                    $"highest healthy step of the ramp ({string.Join(", ", steps.Select(s => s.ToString("0", CultureInfo.InvariantCulture)))} msg/s offered, {stepLength.TotalSeconds:0} s each)");
            }
            result.Details["ramp"] = ramp;
            result.Rows.Add(best ?? new ResultRow("durable-throughput", "stored msgs/s (ack)", null, 0, "msg/s", null, null,
                "≥ 5,000 msg/s at p99 ack ≤ 100 ms", false, "not even the first step was healthy"));
            traffic.Measuring(false);

            progress.Phase("verifying", () => "");
            await traffic.DrainAsync(TimeSpan.FromSeconds(30));
            // Overload may time out sends (reported above as errors that end the ramp); loss and duplicates never may.
            var overload = traffic.ErrorSamples.Where(e => e.Contains("overloaded", StringComparison.Ordinal)).ToList();
            var lost = traffic.Lost();
            if (lost > 0) result.Errors.Add($"{lost} acknowledged messages never reached the other side");
            if (traffic.Duplicates > 0) result.Errors.Add($"{traffic.Duplicates} messages delivered twice");
            result.Errors.AddRange(traffic.ErrorSamples.Except(overload));
            result.Errors.AddRange((await traffic.VerifyStoredAsync(ctx.Api)).Take(20));
        }
        finally
        {
            await BenchClient.DisposeAllAsync(traffic.All);
        }
    }
}
