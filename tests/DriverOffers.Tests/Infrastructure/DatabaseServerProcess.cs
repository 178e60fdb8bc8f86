using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace DriverOffers.Tests.Infrastructure;

/// <summary>
/// A database server (mariadbd, postgres) started from the installed binaries for this test run: a temporary data
/// directory, a free loopback port, stopped by its own PID when the test process exits. A watchdog shell stops it
/// too if the test process dies without running its exit handlers.
/// </summary>
internal sealed class DatabaseServerProcess
{
    private readonly Process _process;
    private readonly string _dir;
    private readonly string _log;
    private readonly string? _stopSignal;

    private DatabaseServerProcess(Process process, string dir, string log, string? stopSignal)
    {
        _process = process;
        _dir = dir;
        _log = log;
        _stopSignal = stopSignal;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop();
    }

    public static bool IsRoot => Environment.UserName == "root";

    public int Pid => _process.Id;

    /// <summary>Starts <paramref name="file"/>; its output goes to <c>server.log</c> in <paramref name="dir"/>.
    /// <paramref name="stopSignal"/> (a <c>kill</c> signal name) is sent first when stopping a server that runs child
    /// processes and stops them itself on that signal (PostgreSQL: QUIT).</summary>
    public static DatabaseServerProcess Start(string dir, string file, IEnumerable<string> args, string? stopSignal = null)
    {
        var log = Path.Combine(dir, "server.log");
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        var process = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {file}.");
        var writer = new StreamWriter(log, append: true) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (writer) { writer.WriteLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (writer) { writer.WriteLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        StartWatchdog(process.Id, dir, stopSignal);
        return new DatabaseServerProcess(process, dir, log, stopSignal);
    }

    /// <summary>Waits until <paramref name="ready"/> succeeds; fails with the server's log if it exits or times out.</summary>
    public async Task WaitReadyAsync(string name, Func<Task> ready, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{name} exited with code {_process.ExitCode} while starting:\n{Log()}");
            }
            try
            {
                await ready();
                return;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                last = e;
                await Task.Delay(200);
            }
        }
        Stop();
        throw new InvalidOperationException($"{name} did not accept connections within {timeout.TotalSeconds}s ({last?.Message}):\n{Log()}");
    }

    public string Log()
    {
        try { return File.ReadAllText(_log); } catch (IOException) { return "(no log)"; }
    }

    /// <summary>Stops the server and throws its data away, unless <paramref name="keepData"/> (a test that starts it
    /// again on the same data).</summary>
    public void Stop(bool keepData = false)
    {
        try
        {
            // The data directory is thrown away, so there is nothing to shut down cleanly. A server with child processes
            // is asked to end them itself: Kill(entireProcessTree) stops (SIGSTOP) each process of the tree before it
            // kills it, and a PostgreSQL child that its postmaster's death had already handed to init was left behind,
            // stopped, for good.
            if (!_process.HasExited && _stopSignal is not null)
            {
                Signal(_process.Id, _stopSignal);
                _process.WaitForExit(10_000);
            }
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException) { }
        if (keepData)
        {
            return;
        }
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>Runs a setup command (initdb, mariadb-install-db) to completion; fails with its output.</summary>
    public static async Task RunAsync(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {file}.");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({p.ExitCode}):\n{await stdout}\n{await stderr}");
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Finds a binary on PATH or in the given directories; a missing one fails the run with what to install.</summary>
    public static string Find(string name, string installHint, params string[] dirs)
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':');
        foreach (var d in dirs.Concat(path).Concat(["/usr/sbin", "/usr/bin"]))
        {
            var candidate = Path.Combine(d, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new InvalidOperationException($"'{name}' is not installed: {installHint} (or run .ci/run, which installs it).");
    }

    public static string TempDir(string prefix)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static void Signal(int pid, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { $"-{signal}", pid.ToString(System.Globalization.CultureInfo.InvariantCulture) }, UseShellExecute = false });
        kill?.WaitForExit(5_000);
    }

    private static void StartWatchdog(int serverPid, string dir, string? stopSignal)
    {
        // setsid: its own session, so whatever stops the test process's tree does not stop the watchdog too.
        var psi = new ProcessStartInfo("setsid") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-f");
        psi.ArgumentList.Add("/bin/sh");
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("while kill -0 \"$1\" 2>/dev/null; do sleep 2; done; kill -\"$4\" \"$2\" 2>/dev/null; sleep 3; kill -9 \"$2\" 2>/dev/null; sleep 1; rm -rf \"$3\"");
        psi.ArgumentList.Add("watchdog");
        psi.ArgumentList.Add(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        psi.ArgumentList.Add(serverPid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        psi.ArgumentList.Add(dir);
        psi.ArgumentList.Add(stopSignal ?? "KILL");
        using var _ = Process.Start(psi);
    }
}
