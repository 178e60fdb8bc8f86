using System.Diagnostics;
using System.Net.Sockets;
using System.Net.WebSockets;

namespace DriverOffers.Bench;

/// <summary>
/// Where the bench's clients wait while the server's port is closed (reconnect-storm), instead of each retrying on its
/// own. The clients stand in for 2,000 phones but share the server's two cores, and a refused WebSocket connect costs
/// the .NET client about 0.4 ms of CPU (a new HTTP handler, an exception rethrown through a dozen async frames): while
/// the server restarted, their retries took 1.2–1.5 of the two cores from it, and it took twice as long to start
/// (docs/decisions/091-bench-storm-gate.md). A refused connect costs the server nothing, so the server sees the same
/// storm: the first client refused closes the gate, one probe tries a plain TCP connect every 20 ms, and the moment the
/// port accepts, every waiting client connects at once, sooner than phones retrying on their own would.
/// </summary>
public sealed class ServerGate(Uri server)
{
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(2);
    private readonly Lock _lock = new();
    private TaskCompletionSource? _closed;

    /// <summary>Completes at once while the port is thought open.</summary>
    private Task WaitOpenAsync(CancellationToken ct)
    {
        lock (_lock)
        {
            return _closed?.Task.WaitAsync(ct) ?? Task.CompletedTask;
        }
    }

    /// <summary>A WebSocket connect that goes through the gate and closes it when the port refuses.</summary>
    public async ValueTask<WebSocket> ConnectAsync(Uri uri, string token, CancellationToken ct)
    {
        await WaitOpenAsync(ct);
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", $"Bearer {token}");
        try
        {
            await socket.ConnectAsync(uri, ct);
            return socket;
        }
        catch (Exception e) when (IsRefused(e))
        {
            socket.Dispose();
            Close();
            throw;
        }
    }

    private void Close()
    {
        lock (_lock)
        {
            if (_closed is not null)
            {
                return;
            }
            _closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        _ = Task.Run(ProbeUntilOpenAsync);
    }

    private async Task ProbeUntilOpenAsync()
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < GiveUpAfter)
        {
            using var probe = new Socket(SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await probe.ConnectAsync(server.Host, server.Port);
                break;
            }
            catch (SocketException)
            {
                await Task.Delay(20);
            }
        }
        // Open again (or given up on: the clients then fail and retry on their own).
        TaskCompletionSource closed;
        lock (_lock)
        {
            (closed, _closed) = (_closed!, null);
        }
        closed.TrySetResult();
    }

    private static bool IsRefused(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is SocketException { SocketErrorCode: SocketError.ConnectionRefused })
            {
                return true;
            }
        }
        return false;
    }
}
