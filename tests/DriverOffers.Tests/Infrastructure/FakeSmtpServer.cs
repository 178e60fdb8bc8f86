using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace DriverOffers.Tests.Infrastructure;

/// <summary>
/// Just enough SMTP on a loopback port for MailKit to deliver to: no TLS, no auth. The first
/// <see cref="FailuresPerRecipient"/> messages to each recipient get a 451 after DATA, so retries can be tested.
/// </summary>
public sealed class FakeSmtpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, int> _tries = new(StringComparer.OrdinalIgnoreCase);
    private Task? _accepting;

    public int FailuresPerRecipient { get; init; }
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
    public ConcurrentQueue<(string To, string Data)> Delivered { get; } = new();

    public int TriesFor(string recipient) => _tries.GetValueOrDefault(recipient);

    public void Start()
    {
        _listener.Start();
        _accepting = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await _listener.AcceptTcpClientAsync(_stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                _ = Task.Run(() => Serve(client));
            }
        });
    }

    private async Task Serve(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);
        await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
        await writer.WriteLineAsync("220 fake.local ESMTP");
        var to = "";
        while (await reader.ReadLineAsync() is { } line)
        {
            var verb = line.Split(' ')[0].ToUpperInvariant();
            switch (verb)
            {
                case "EHLO" or "HELO":
                    await writer.WriteLineAsync("250 fake.local");
                    break;
                case "MAIL" or "RSET" or "NOOP":
                    await writer.WriteLineAsync("250 OK");
                    break;
                case "RCPT":
                    to = line[(line.IndexOf('<', StringComparison.Ordinal) + 1)..line.IndexOf('>', StringComparison.Ordinal)];
                    await writer.WriteLineAsync("250 OK");
                    break;
                case "DATA":
                    await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>");
                    var data = new StringBuilder();
                    while (await reader.ReadLineAsync() is { } dataLine && dataLine != ".")
                    {
                        data.AppendLine(dataLine);
                    }
                    var tries = _tries.AddOrUpdate(to, 1, (_, n) => n + 1);
                    if (tries <= FailuresPerRecipient)
                    {
                        await writer.WriteLineAsync("451 4.3.0 Try again later");
                    }
                    else
                    {
                        Delivered.Enqueue((to, data.ToString()));
                        await writer.WriteLineAsync("250 2.0.0 Queued");
                    }
                    break;
                case "QUIT":
                    await writer.WriteLineAsync("221 Bye");
                    return;
                default:
                    await writer.WriteLineAsync("502 Not implemented");
                    break;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        if (_accepting is not null)
        {
            await _accepting;
        }
        _stop.Dispose();
    }
}
