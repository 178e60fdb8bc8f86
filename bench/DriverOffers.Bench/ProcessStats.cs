using System.Diagnostics;
using System.Globalization;

namespace DriverOffers.Bench;

/// <summary>CPU time and resident memory of a process, read from <c>/proc/&lt;pid&gt;</c> (Linux).</summary>
public static class ProcessStats
{
    private const double ClockTicksPerSecond = 100; // USER_HZ on Linux

    /// <summary>User + system CPU seconds so far, or null when the process is gone.</summary>
    public static double? CpuSeconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name may hold spaces; fields after its closing parenthesis are positional.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var utime = long.Parse(fields[11], CultureInfo.InvariantCulture);
            var stime = long.Parse(fields[12], CultureInfo.InvariantCulture);
            return (utime + stime) / ClockTicksPerSecond;
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    /// <summary>Resident set size in bytes (VmRSS), or null when the process is gone.</summary>
    public static long? RssBytes(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    var kb = long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                    return kb * 1024;
                }
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return null;
    }
}

/// <summary>Samples one process over a measured window: average CPU % (100 % = one core) and peak RSS.</summary>
public sealed class ResourceWindow
{
    private readonly int? _pid;
    private readonly double? _cpuStart;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _peakRss;
    private readonly Timer? _timer;

    public ResourceWindow(int? pid)
    {
        _pid = pid;
        if (pid is { } p)
        {
            _cpuStart = ProcessStats.CpuSeconds(p);
            _peakRss = ProcessStats.RssBytes(p) ?? 0;
            _timer = new Timer(_ => Sample(), null, 250, 250);
        }
    }

    private void Sample()
    {
        if (_pid is { } p && ProcessStats.RssBytes(p) is { } rss)
        {
            InterlockedMax(ref _peakRss, rss);
        }
    }

    public (double? CpuPercent, long? PeakRssBytes) Stop()
    {
        _timer?.Dispose();
        if (_pid is not { } p)
        {
            return (null, null);
        }
        Sample();
        var cpu = ProcessStats.CpuSeconds(p) is { } end && _cpuStart is { } start
            ? (end - start) / _clock.Elapsed.TotalSeconds * 100
            : (double?)null;
        return (cpu, Interlocked.Read(ref _peakRss));
    }

    private static void InterlockedMax(ref long target, long value)
    {
        long current;
        while ((current = Interlocked.Read(ref target)) < value &&
               Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
