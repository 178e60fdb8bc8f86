namespace DriverOffers.Bench.Scenarios;

/// <summary>
/// 1,000 clients in 500 dispatcher↔driver conversations; 500 messages/s in total on a fixed schedule; 10 s warm-up,
/// then 60 s measured. Delivery = send → <c>new_message</c> at the other side (stored first, then broadcast); the
/// sender's acknowledgement (the stored message returned by <c>send_message</c>) is reported separately.
/// </summary>
public sealed class ChatLatency : IScenario
{
    public async Task RunAsync(BenchContext ctx, Progress progress, ScenarioResult result)
    {
        var (conversations, rate, warmup, measured) = ctx.Quick
            ? (50, 100.0, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5))
            : (500, 500.0, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(60));
        var convs = await ctx.CreateConversationsAsync(conversations, progress);
        var traffic = new ChatTraffic(ctx, convs);
        var connected = 0;
        progress.Phase("connecting", () => $"{connected}/{conversations * 2}");
        await BenchClient.ConnectAllAsync([.. traffic.All], progress: n => connected = n);
        try
        {
            progress.Phase("warm-up", traffic.Status);
            traffic.RunSchedule(rate, warmup, CancellationToken.None);
            await traffic.DrainAsync(TimeSpan.FromSeconds(10));

            traffic.Measuring(true);
            var window = ctx.Measure();
            progress.Phase("measuring", traffic.Status);
            var ackedBefore = traffic.Acked;
            var lag = traffic.RunSchedule(rate, measured, CancellationToken.None);
            var (cpu, rss) = window.Stop();
            var storedPerSecond = (traffic.Acked - ackedBefore) / measured.TotalSeconds;
            traffic.Measuring(false);
            await traffic.DrainAsync(TimeSpan.FromSeconds(15));

            var delivery = traffic.Delivery.Summary();
            var ack = traffic.Ack.Summary();
            var scheduleNote = $"{conversations * 2} clients, {rate:0} msg/s offered for {measured.TotalSeconds:0} s after {warmup.TotalSeconds:0} s warm-up; schedule lag max {lag.TotalMilliseconds:0.0} ms";
            result.Rows.Add(new ResultRow("chat-latency", "send → delivered", delivery, storedPerSecond, "msg/s",
                cpu, Rows.Mb(rss), "p50 ≤ 1 ms, p99 ≤ 4 ms",
                Rows.AtMost(delivery.P50, 1) is { } a && Rows.AtMost(delivery.P99, 4) is { } b ? a && b : null, scheduleNote));
            result.Rows.Add(new ResultRow("chat-latency", "send → ack", ack, storedPerSecond, "msg/s",
                cpu, Rows.Mb(rss), "(reported)", null, ""));
            result.Details["schedule_lag_max_ms"] = lag.TotalMilliseconds;

            progress.Phase("verifying", () => "");
            var lost = traffic.Lost();
            if (lost > 0) result.Errors.Add($"{lost} acknowledged messages never reached the other side");
            if (traffic.Acked != traffic.Sent) result.Errors.Add($"{traffic.Sent - traffic.Acked} sends were never acknowledged");
            Rows.AddErrors(result, traffic);
            result.Errors.AddRange((await traffic.VerifyStoredAsync(ctx.Api)).Take(20));
        }
        finally
        {
            await BenchClient.DisposeAllAsync(traffic.All);
        }
    }
}
