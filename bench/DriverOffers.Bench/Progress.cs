namespace DriverOffers.Bench;

/// <summary>A one-line status, refreshed every second while a scenario runs (a new line per update when not a terminal).</summary>
public sealed class Progress : IDisposable
{
    private readonly Timer _timer;
    private readonly string _scenario;
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private Func<string> _status = () => "";
    private string _phase = "setup";
    private readonly bool _tty = !Console.IsErrorRedirected;
    private int _tick;

    public Progress(string scenario)
    {
        _scenario = scenario;
        _timer = new Timer(_ => Print(), null, 1000, 1000);
    }

    public void Phase(string phase, Func<string>? status = null)
    {
        _phase = phase;
        _status = status ?? (() => "");
        Print();
    }

    private void Print()
    {
        // Without a terminal (CI logs) print every 5 s only, to keep the log readable.
        if (!_tty && Interlocked.Increment(ref _tick) % 5 != 0) return;
        string line;
        try
        {
            line = $"[{_scenario} {_clock.Elapsed.TotalSeconds,5:0.0}s] {_phase} {_status()}";
        }
        catch (Exception e)
        {
            line = $"[{_scenario}] {_phase} ({e.Message})";
        }
        if (_tty)
        {
            var width = Math.Max(40, Console.WindowWidth - 1);
            Console.Error.Write("\r" + (line.Length > width ? line[..width] : line.PadRight(width)));
        }
        else
        {
            Console.Error.WriteLine(line);
        }
    }

    public void Dispose()
    {
        _timer.Dispose();
        if (_tty) Console.Error.WriteLine();
    }
}
