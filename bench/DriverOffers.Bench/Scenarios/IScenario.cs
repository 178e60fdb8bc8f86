namespace DriverOffers.Bench.Scenarios;

public interface IScenario
{
    Task RunAsync(BenchContext ctx, Progress progress, ScenarioResult result);
}

internal static class Rows
{
    public static double? Mb(long? bytes) => bytes is { } b ? b / (1024.0 * 1024.0) : null;

    /// <summary>Checks a measured figure against its target; null when there is nothing to judge.</summary>
    public static bool? AtMost(double? value, double limit) => value is { } v && !double.IsNaN(v) ? v <= limit : null;

    public static bool? AtLeast(double? value, double limit) => value is { } v && !double.IsNaN(v) ? v >= limit : null;

    public static void AddErrors(ScenarioResult result, ChatTraffic traffic)
    {
        foreach (var e in traffic.ErrorSamples) result.Errors.Add(e);
        if (traffic.Errors > traffic.ErrorSamples.Count)
        {
            result.Errors.Add($"… {traffic.Errors - traffic.ErrorSamples.Count} more errors");
        }
    }
}
