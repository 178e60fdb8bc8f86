using System.Diagnostics;

namespace DriverOffers.Bench;

/// <summary>Collects latencies (milliseconds) from many threads; percentiles by nearest rank over all samples.</summary>
public sealed class LatencyRecorder
{
    private readonly List<double> _samples = [];
    private readonly Lock _gate = new();

    public int Count
    {
        get { lock (_gate) return _samples.Count; }
    }

    public void Add(double ms)
    {
        lock (_gate) _samples.Add(ms);
    }

    public static double Ms(long fromTimestamp, long toTimestamp) =>
        (toTimestamp - fromTimestamp) * 1000.0 / Stopwatch.Frequency;

    public void AddSince(long fromTimestamp) => Add(Ms(fromTimestamp, Stopwatch.GetTimestamp()));

    public Percentiles Summary()
    {
        double[] s;
        lock (_gate) s = [.. _samples];
        Array.Sort(s);
        return Percentiles.Of(s);
    }

    /// <summary>p99 of the samples recorded since <paramref name="fromIndex"/> (a step of a ramp).</summary>
    public Percentiles SummarySince(int fromIndex)
    {
        double[] s;
        lock (_gate) s = [.. _samples.Skip(fromIndex)];
        Array.Sort(s);
        return Percentiles.Of(s);
    }
}

public sealed record Percentiles(int Count, double P50, double P90, double P99, double P999, double Max)
{
    public static Percentiles Of(double[] sorted)
    {
        if (sorted.Length == 0) return new Percentiles(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        double At(double q) => sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
        return new Percentiles(sorted.Length, At(0.50), At(0.90), At(0.99), At(0.999), sorted[^1]);
    }
}

/// <summary>One line of the result table (and of the JSON).</summary>
public sealed record ResultRow(
    string Scenario, string Metric, Percentiles? Latency, double? Throughput, string ThroughputUnit,
    double? ServerCpuPercent, double? ServerRssMb, string Target, bool? Met, string Note);

/// <summary>A run's outcome per scenario: its rows, and the errors that make the run fail (lost or duplicated data…).</summary>
public sealed class ScenarioResult(string name)
{
    public string Name { get; } = name;
    public List<ResultRow> Rows { get; } = [];
    public List<string> Errors { get; } = [];
    public Dictionary<string, object> Details { get; } = [];
    public double Seconds { get; set; }
    public HostSpeed? Host { get; set; }
}
