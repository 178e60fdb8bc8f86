using System.Runtime.InteropServices;

namespace DriverOffers.Server.Common;

/// <summary>
/// Hands the C heap's free pages back to the operating system every few seconds (glibc's <c>malloc_trim</c>). The JIT
/// compiles on worker threads with scratch memory from malloc, up to ~12 MB at once while the server warms up, and
/// glibc keeps what a thread's arena once held even after it is freed: ~10 MB of RSS that no one uses
/// (docs/decisions/086-connection-memory-fifth-pass.md). Trimming only releases free pages; nothing live moves.
/// </summary>
public sealed class NativeMemoryTrim(ILogger<NativeMemoryTrim> log) : BackgroundService
{
    /// <summary>
    /// Soon enough after a burst of compiling. A trim takes 0.3-1.5 ms of this thread on a 20 MB C heap, locking one
    /// arena at a time; nothing else waits for it.
    /// </summary>
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    // 1 if pages were released, 0 if there were none: nothing to do either way.
                    _ = MallocTrim(0);
                }
                catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
                {
                    // musl (Alpine) has no malloc_trim: its allocator returns memory on its own terms.
                    log.LogInformation("malloc_trim is not available; the C heap is left as it is");
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);
}
