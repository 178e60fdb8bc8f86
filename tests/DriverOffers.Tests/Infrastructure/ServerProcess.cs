using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace DriverOffers.Tests.Infrastructure;

/// <summary>
/// The server as an operator runs it: <c>dotnet DriverOffers.Server.dll</c> (this build's, beside the tests) in its own
/// process, configured by environment variables and arguments, with everything it prints kept. For what only a real
/// process shows: start-up failures and exit codes, the console log, SIGTERM. Stopped by its own PID.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServerProcess(Process process, Uri? url)
    {
        _process = process;
        Url = url;
    }

    /// <summary>Where it listens (when started with <see cref="StartListening"/>).</summary>
    public Uri? Url { get; }

    public int Pid => _process.Id;

    /// <summary>Everything written to stdout and stderr so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static string Dll => Path.Combine(AppContext.BaseDirectory, "DriverOffers.Server.dll");

    /// <summary>Starts the server on a free loopback port (<c>--urls</c>) with <paramref name="env"/>, in <paramref name="workingDirectory"/>.</summary>
    public static ServerProcess StartListening(IDictionary<string, string> env, string workingDirectory, params string[] args) =>
        StartListening(new Uri($"http://127.0.0.1:{DatabaseServerProcess.FreePort()}"), env, workingDirectory, args);

    /// <summary>Starts the server on <paramref name="url"/> (a restart where clients know it).</summary>
    public static ServerProcess StartListening(Uri url, IDictionary<string, string> env, string workingDirectory, params string[] args) =>
        Start(env, workingDirectory, url, ["--urls", url.ToString().TrimEnd('/'), .. args]);

    /// <summary>Starts the server exactly with <paramref name="args"/> (no <c>--urls</c> added).</summary>
    public static ServerProcess Start(IDictionary<string, string> env, string workingDirectory, params string[] args) =>
        Start(env, workingDirectory, null, args);

    private static ServerProcess Start(IDictionary<string, string> env, string workingDirectory, Uri? url, string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(Dll);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        // What an operator's shell would have: nothing of the test run's own ASP.NET Core settings.
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || k.StartsWith("DOTNET_ENVIRONMENT", StringComparison.Ordinal)).ToList())
        {
            psi.Environment.Remove(key);
        }
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (k, v) in env)
        {
            psi.Environment[k] = v;
        }
        var process = Process.Start(psi) ?? throw new InvalidOperationException("Could not start the server.");
        var server = new ServerProcess(process, url);
        process.OutputDataReceived += (_, e) => server.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => server.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    /// <summary>A start takes a few seconds alone; with the machine shared (load 45 on two cores) one took over 90 s.</summary>
    private static readonly TimeSpan ReadyWithin = TimeSpan.FromSeconds(240);

    /// <summary>Waits until <c>/health/ready</c> answers 200; fails with the output if the process exits or takes too long.</summary>
    public async Task WaitReadyAsync(TimeSpan? timeout = null)
    {
        using var http = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + (timeout ?? ReadyWithin);
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(_process.HasExited, $"The server exited with code {(_process.HasExited ? _process.ExitCode : 0)} while starting:\n{Output}");
            try
            {
                using var ready = await http.GetAsync(new Uri("/health/ready", UriKind.Relative));
                if (ready.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(100);
        }
        Assert.Fail($"The server was not ready within {(timeout ?? ReadyWithin).TotalSeconds} s:\n{Output}");
    }

    /// <summary>Waits for the process to end by itself and returns its exit code; fails (and kills it) if it does not.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            Assert.Fail($"The server was still running after {timeout.TotalSeconds} s:\n{Output}");
        }
        // The asynchronous readers may still hold the last lines.
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>SIGTERM, as systemd, Docker and Kubernetes stop a service.</summary>
    public void Terminate()
    {
        using var kill = Process.Start(new ProcessStartInfo("kill")
        {
            ArgumentList = { "-TERM", _process.Id.ToString(CultureInfo.InvariantCulture) },
            UseShellExecute = false,
        });
        kill?.WaitForExit(5_000);
    }

    /// <summary>SIGKILL: the process ends at once, whatever it was writing (kill -9, the OOM killer).</summary>
    public void KillNow()
    {
        Kill();
        Assert.True(_process.HasExited, "the server survived SIGKILL");
    }

    private void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException) { }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
