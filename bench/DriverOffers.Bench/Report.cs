using System.Globalization;
using System.Text;
using System.Text.Json;

namespace DriverOffers.Bench;

public static class Report
{
    private static readonly JsonSerializerOptions JsonOut = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static void PrintTable(List<ScenarioResult> results, BenchOptions options)
    {
        var rows = results.SelectMany(r => r.Rows).ToList();
        string F(double? v, string format = "0.00") => v is { } x && !double.IsNaN(x) ? x.ToString(format, CultureInfo.InvariantCulture) : "-";
        var header = new[] { "scenario", "metric", "n", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms", "throughput", "srv CPU %", "srv RSS MB", "target", "met" };
        var table = rows.Select(r => new[]
        {
            r.Scenario, r.Metric, r.Latency?.Count.ToString(CultureInfo.InvariantCulture) ?? "-",
            F(r.Latency?.P50), F(r.Latency?.P90), F(r.Latency?.P99), F(r.Latency?.P999), F(r.Latency?.Max),
            r.Throughput is { } t && !double.IsNaN(t) && !double.IsInfinity(t) ? $"{t.ToString("#,0", CultureInfo.InvariantCulture)} {r.ThroughputUnit}" : "-",
            F(r.ServerCpuPercent, "0"), F(r.ServerRssMb, "0"), r.Target,
            r.Met switch { true => "yes", false => options.Quick ? "(quick)" : "NO", null => "" },
        }).ToList();
        var widths = header.Select((h, i) => Math.Max(h.Length, table.Count == 0 ? 0 : table.Max(r => r[i].Length))).ToArray();
        var sb = new StringBuilder();
        sb.AppendLine();
        sb.AppendLine(string.Join("  ", header.Select((h, i) => h.PadRight(widths[i]))));
        sb.AppendLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var r in table)
        {
            sb.AppendLine(string.Join("  ", r.Select((c, i) => i is >= 2 and <= 10 ? c.PadLeft(widths[i]) : c.PadRight(widths[i]))));
        }
        foreach (var r in rows.Where(r => r.Note.Length > 0))
        {
            sb.AppendLine($"  {r.Scenario} / {r.Metric}: {r.Note}");
        }
        foreach (var r in results.Where(r => r.Host is not null))
        {
            sb.AppendLine($"  {r.Name}: {r.Host}");
        }
        if (options.Quick)
        {
            sb.AppendLine("  (--quick: small loads for a smoke test; the figures are not the benchmark and targets are not judged)");
        }
        Console.WriteLine(sb.ToString());
    }

    public static string WriteJson(List<ScenarioResult> results, BenchOptions options, MachineInfo machine)
    {
        Directory.CreateDirectory(options.ResultsDir);
        var stamp = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var file = Path.Combine(options.ResultsDir, $"{stamp}{(options.Quick ? "-quick" : "")}-{options.Provider}.json");
        var doc = new
        {
            started_utc = DateTime.UtcNow,
            quick = options.Quick,
            provider = options.Provider,
            url = options.Url?.ToString(),
            note = options.Note,
            machine,
            scenarios = results.Select(r => new
            {
                name = r.Name,
                seconds = Math.Round(r.Seconds, 1),
                host = r.Host is { } h ? new { fsyncs_per_second = Math.Round(h.FsyncsPerSecond), cpu_probe_ms = Math.Round(h.CpuWorkMs, 1) } : null,
                errors = r.Errors,
                details = r.Details,
                rows = r.Rows.Select(x => new
                {
                    metric = x.Metric,
                    count = x.Latency?.Count,
                    p50_ms = Round(x.Latency?.P50), p90_ms = Round(x.Latency?.P90), p99_ms = Round(x.Latency?.P99),
                    p999_ms = Round(x.Latency?.P999), max_ms = Round(x.Latency?.Max),
                    throughput = Round(x.Throughput), throughput_unit = x.ThroughputUnit,
                    server_cpu_percent = Round(x.ServerCpuPercent), server_rss_mb = Round(x.ServerRssMb),
                    target = x.Target, met = x.Met, note = x.Note,
                }),
            }),
        };
        File.WriteAllText(file, JsonSerializer.Serialize(doc, JsonOut));
        File.WriteAllText(Path.ChangeExtension(file, ".md"), Markdown(results, options, machine));
        return file;
    }

    /// <summary>The same table in Markdown (written beside the JSON), for docs/benchmarks.md.</summary>
    public static string Markdown(List<ScenarioResult> results, BenchOptions options, MachineInfo machine)
    {
        string F(double? v, string format = "0.00") => v is { } x && !double.IsNaN(x) ? x.ToString(format, CultureInfo.InvariantCulture) : "–";
        var sb = new StringBuilder();
        sb.AppendLine($"Provider `{options.Provider}`{(options.Quick ? " (quick)" : "")}, {machine.Cores} cores {machine.Cpu}, {machine.MemoryMb:#,0} MB, {machine.Os}, {machine.Runtime}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC{(options.Note is null ? "" : $" — {options.Note}")}");
        sb.AppendLine();
        sb.AppendLine("| scenario | metric | n | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | throughput | server CPU % | server RSS MB | target | met |");
        sb.AppendLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |");
        foreach (var r in results.SelectMany(x => x.Rows))
        {
            var met = r.Met switch { true => "yes", false => "**no**", null => "" };
            var tp = r.Throughput is { } t ? $"{t.ToString("#,0", CultureInfo.InvariantCulture)} {r.ThroughputUnit}" : "–";
            sb.AppendLine($"| {r.Scenario} | {r.Metric} | {r.Latency?.Count.ToString(CultureInfo.InvariantCulture) ?? "–"} | {F(r.Latency?.P50)} | {F(r.Latency?.P90)} | {F(r.Latency?.P99)} | {F(r.Latency?.P999)} | {F(r.Latency?.Max)} | {tp} | {F(r.ServerCpuPercent, "0")} | {F(r.ServerRssMb, "0")} | {r.Target} | {met} |");
        }
        sb.AppendLine();
        foreach (var r in results.SelectMany(x => x.Rows).Where(r => r.Note.Length > 0))
        {
            sb.AppendLine($"- {r.Scenario} / {r.Metric}: {r.Note}");
        }
        foreach (var r in results.Where(r => r.Host is not null))
        {
            sb.AppendLine($"- {r.Name}: {r.Host}");
        }
        foreach (var r in results.Where(r => r.Errors.Count > 0))
        {
            sb.AppendLine($"- **{r.Name} errors**: {string.Join("; ", r.Errors.Take(5))}");
        }
        return sb.ToString();
    }

    private static double? Round(double? v) => v is { } x && !double.IsNaN(x) ? Math.Round(x, 3) : null;
}

/// <summary>The machine a run measured: cores, CPU model, memory, OS.</summary>
public sealed record MachineInfo(int Cores, string Cpu, long MemoryMb, string Os, string Runtime)
{
    public static MachineInfo Read()
    {
        string cpu = "unknown", os = Environment.OSVersion.ToString();
        long memMb = 0;
        try
        {
            cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? cpu;
            var total = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
            memMb = long.Parse(total[9..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024;
            os = File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?[12..].Trim('"') ?? os;
        }
        catch (IOException) { }
        return new MachineInfo(Environment.ProcessorCount, cpu, memMb, $"{os}, kernel {Environment.OSVersion.Version}",
            System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription);
    }
}
