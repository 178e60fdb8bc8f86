using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace DriverOffers.Tests.Realtime.ScaleOut;

/// <summary>
/// A real <c>redis-server</c> on a free loopback port with a throwaway directory, stopped by its own PID.
/// Not installed or not starting is a failure, never a skip: the scale-out tests must run (.ci/run installs it).
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    public const string Binary = "/usr/bin/redis-server";

    private readonly Process _process;
    private readonly string _dir;

    private RedisServer(Process process, string dir, int port)
    {
        _process = process;
        _dir = dir;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString => $"127.0.0.1:{Port}";

    /// <summary>Starts on <paramref name="port"/> when given (a Redis coming up where servers already look for it), else on a free one.</summary>
    public static async Task<RedisServer> Start(int? port = null)
    {
        if (!File.Exists(Binary))
        {
            throw new InvalidOperationException($"{Binary} is missing: apt-get update && apt-get install -y redis-server (.ci/run does).");
        }
        // A free port can be taken between choosing and binding it: try a few.
        for (var attempt = 1; ; attempt++)
        {
            var dir = Path.Combine(Path.GetTempPath(), "driver-offers-tests", "redis-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            var listenOn = port ?? FreePort();
            var output = new StringBuilder();
            var process = new Process
            {
                StartInfo = new ProcessStartInfo(Binary)
                {
                    ArgumentList = { "--port", $"{listenOn}", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir },
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                    UseShellExecute = false,
                },
            };
            process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
            process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var server = new RedisServer(process, dir, listenOn);
            if (await server.Answers(TimeSpan.FromSeconds(60)))
            {
                return server;
            }
            await server.DisposeAsync();
            if (attempt == 3 || port is not null)
            {
                string log;
                lock (output) { log = output.ToString(); }
                throw new InvalidOperationException($"redis-server did not start on port {listenOn}:\n{log}");
            }
        }
    }

    /// <summary>PING until PONG, or until the process exits or time runs out.</summary>
    private async Task<bool> Answers(TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            try
            {
                using var tcp = new TcpClient();
                await tcp.ConnectAsync(IPAddress.Loopback, Port);
                var stream = tcp.GetStream();
                await stream.WriteAsync("PING\r\n"u8.ToArray());
                var buffer = new byte[16];
                var read = await stream.ReadAsync(buffer);
                if (Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal))
                {
                    return true;
                }
            }
            catch (SocketException)
            {
            }
            await Task.Delay(50);
        }
        return false;
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
