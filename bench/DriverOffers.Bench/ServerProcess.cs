using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace DriverOffers.Bench;

/// <summary>
/// The server under test as a child process (<c>dotnet DriverOffers.Server.dll</c>) on a free loopback port, with
/// its own temp content root and a JWT secret the bench knows. Stopped by its own PID, never by name.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly string _dll;
    private readonly Dictionary<string, string> _env;
    private readonly string _contentRoot;
    private Process? _process;
    private readonly List<string> _stderr = [];

    public Uri Url { get; }
    public int? Pid => _process is { HasExited: false } p ? p.Id : null;
    public string ContentRoot => _contentRoot;

    private ServerProcess(string dll, Uri url, string contentRoot, Dictionary<string, string> env)
    {
        _dll = dll;
        Url = url;
        _contentRoot = contentRoot;
        _env = env;
    }

    public static ServerProcess Create(BenchOptions options, string jwtSecret, string provider, string connection, string contentRoot)
    {
        var dll = options.ServerDll ?? Path.Combine(AppContext.BaseDirectory, "server", "DriverOffers.Server.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"No server build at {dll}. Run the bench with `dotnet run --project bench/DriverOffers.Bench -c Release`, which builds it, or pass --server-dll.");
        }
        var port = FreePort();
        var env = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["Database__Provider"] = provider,
            ["Database__ConnectionString"] = connection,
            ["Database__Demo"] = "false",
            ["Auth__JwtSecret"] = jwtSecret,
            ["Auth__LoginAttemptsPerMinutePerIp"] = "1000000",
            ["Auth__LoginAttemptsPerMinutePerUser"] = "1000000",
            // The bench drives thousands of calls per connection and per second from one address on purpose: the
            // per-connection hub call limit and the per-person typing throttle are product policy, not capacity.
            ["Realtime__CallsPerSecond"] = "100000",
            ["Realtime__CallBurst"] = "100000",
            ["Realtime__TypingThrottleSeconds"] = "0.02",
            // Likewise the per-person message allowance and connection cap (a scenario sends as few people, fast).
            ["Limits__MessagesPerSecondPerUser"] = "1000000",
            ["Limits__MessageBurstPerUser"] = "1000000",
            ["Realtime__ConnectionsPerUser"] = "1000000",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Microsoft"] = "Warning",
            ["Logging__Console__FormatterName"] = "simple",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        };
        foreach (var pair in options.ServerEnv ?? [])
        {
            var (key, value) = (pair.Split('=', 2)[0], pair.Contains('=', StringComparison.Ordinal) ? pair.Split('=', 2)[1] : "");
            env[key] = value;
        }
        return new ServerProcess(dll, new Uri($"http://127.0.0.1:{port}"), contentRoot, env);
    }

    /// <summary>Starts the process and waits until <c>/health/ready</c> answers.</summary>
    public async Task StartAsync(TimeSpan timeout)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _contentRoot,
        };
        psi.ArgumentList.Add(_dll);
        psi.ArgumentList.Add("--urls");
        psi.ArgumentList.Add(Url.ToString().TrimEnd('/'));
        psi.ArgumentList.Add("--contentRoot");
        psi.ArgumentList.Add(_contentRoot);
        foreach (var (k, v) in _env)
        {
            psi.Environment[k] = v;
        }
        _process = Process.Start(psi) ?? throw new InvalidOperationException("Could not start the server.");
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The server exited with code {_process.ExitCode} while starting:\n{StderrTail()}");
            }
            try
            {
                using var r = await http.GetAsync(new Uri("/health/ready", UriKind.Relative));
                if (r.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(50);
        }
        throw new TimeoutException($"The server was not ready within {timeout.TotalSeconds:0} s.\n{StderrTail()}");
    }

    /// <summary>SIGKILL: no graceful shutdown, as a crash or OOM kill would do.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } p)
        {
            p.Kill(entireProcessTree: false);
            await p.WaitForExitAsync();
        }
    }

    public async Task StopAsync()
    {
        if (_process is { HasExited: false } p)
        {
            // SIGTERM first, so the server shuts down cleanly (checkpoints its WAL); SIGKILL if it hangs.
            _ = Posix.Kill(p.Id, Posix.SigTerm);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await p.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                p.Kill();
                await p.WaitForExitAsync();
            }
        }
    }

    /// <summary>Every line the server printed (warnings and errors only: it logs at Warning), for the run's log file.</summary>
    public string? LogFile { get; set; }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_stderr)
        {
            _stderr.Add(line);
            if (_stderr.Count > 400) _stderr.RemoveRange(0, 200);
            if (LogFile is not null) File.AppendAllText(LogFile, line + "\n");
        }
    }

    public string StderrTail()
    {
        lock (_stderr)
        {
            return string.Join('\n', _stderr.TakeLast(30));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process?.Dispose();
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}

internal static partial class Posix
{
    public const int SigTerm = 15;

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "kill")]
    public static partial int Kill(int pid, int signal);
}
