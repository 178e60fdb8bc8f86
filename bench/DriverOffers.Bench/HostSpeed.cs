using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace DriverOffers.Bench;

/// <summary>
/// What the host gave a scenario just before it ran: durable commits per second (4 KB appended and fsynced, as a WAL
/// commit does) and the time of a fixed piece of single-threaded CPU work. This machine is a shared virtual one whose
/// speed moves by half and more between runs of the same build (docs/benchmarks.md), so every figure is reported with
/// the two numbers that say how fast the host was when it was measured.
/// </summary>
public sealed record HostSpeed(double FsyncsPerSecond, double CpuWorkMs)
{
    public static HostSpeed Measure(string dir, TimeSpan fsyncFor) => new(Fsyncs(dir, fsyncFor), CpuWork());

    public override string ToString() => $"host {FsyncsPerSecond:#,0} fsync/s, CPU probe {CpuWorkMs:0.0} ms";

    private static double Fsyncs(string dir, TimeSpan duration)
    {
        var path = Path.Combine(dir, "fsync-probe");
        var block = new byte[4096];
        var n = 0;
        var clock = Stopwatch.StartNew();
        using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.None))
        {
            while (clock.Elapsed < duration)
            {
                file.Write(block);
                file.Flush(flushToDisk: true);
                n++;
            }
        }
        File.Delete(path);
        return n / clock.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// A fixed loop of arithmetic, branches and scattered reads and writes over a 4 MB table: the best of seven passes.
    /// Compiled fully optimized at once, so the result doesn't depend on how far the runtime's tiered compilation has
    /// got (JSON work measured 80 ms in a fresh process and 12 ms in a warm one on the same host).
    /// </summary>
    private static double CpuWork()
    {
        var table = new int[1 << 20];
        var best = double.MaxValue;
        for (var pass = 0; pass < 7; pass++)
        {
            var clock = Stopwatch.StartNew();
            GC.KeepAlive(Kernel(table, 4_000_000));
            best = Math.Min(best, clock.Elapsed.TotalMilliseconds);
        }
        return best;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static long Kernel(int[] table, int rounds)
    {
        var mask = table.Length - 1;
        uint x = 12_345;
        long sum = 0;
        for (var i = 0; i < rounds; i++)
        {
            x = x * 1_664_525 + 1_013_904_223;
            var j = (int)(x >> 8) & mask;
            table[j] += (int)x;
            sum += table[(j * 7) & mask];
            if ((sum & 3) == 0)
            {
                sum ^= i;
            }
        }
        return sum;
    }
}
