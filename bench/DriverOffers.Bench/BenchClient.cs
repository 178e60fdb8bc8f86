using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.Extensions.DependencyInjection;

namespace DriverOffers.Bench;

/// <summary>
/// One signed-in person on one hub connection: a dispatcher user or a driver (truck). Events arrive as raw JSON so the
/// bench checks the wire, not the server's own types.
/// </summary>
public sealed class BenchClient : IAsyncDisposable
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    public string UserType { get; }
    public int Id { get; }
    public string Token { get; }
    public HubConnection Connection { get; }

    public BenchClient(Uri baseUrl, string userType, int id, string token, IRetryPolicy? reconnect = null, ServerGate? gate = null)
    {
        UserType = userType;
        Id = id;
        Token = token;
        var builder = new HubConnectionBuilder()
            .WithUrl(new Uri(baseUrl, "/hubs/offers"), o =>
            {
                o.AccessTokenProvider = () => Task.FromResult<string?>(Token);
                // WebSockets straight away, as the web app does once negotiated: one round trip less per (re)connect.
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
                if (gate is not null)
                {
                    o.WebSocketFactory = (context, ct) => gate.ConnectAsync(context.Uri, Token, ct);
                }
            })
            .AddJsonProtocol(o =>
            {
                o.PayloadSerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
                o.PayloadSerializerOptions.PropertyNameCaseInsensitive = true;
            });
        if (reconnect is not null)
        {
            builder.WithAutomaticReconnect(reconnect);
        }
        Connection = builder.Build();
        Connection.ServerTimeout = TimeSpan.FromSeconds(60);
    }

    public void On(string eventName, Action<JsonElement> handler) =>
        Connection.On<JsonElement>(eventName, handler);

    /// <summary>
    /// Only the event's <c>id</c>: the client skips the rest of the payload instead of building a document of it. For
    /// events a scenario counts by the thousand on the bench's own cores (which stand in for the drivers' phones).
    /// </summary>
    public void OnId(string eventName, Action<int> handler) =>
        Connection.On<IdOnly>(eventName, e => handler(e.Id));

    /// <summary>
    /// Accepts an event the scenario does not look at. Without a handler the client still parses the event and then
    /// fails to bind it (an exception per event), which on 1,000 clients costs the bench's cores more than skipping it.
    /// </summary>
    public void Ignore(string eventName) =>
        Connection.On<Skipped>(eventName, _ => { });

    public Task StartAsync(CancellationToken ct = default) => Connection.StartAsync(ct);

    /// <summary>The hub's <c>send_message</c>: returns the stored message (the acknowledgement).</summary>
    public async Task<WireMessage> SendMessageAsync(int offerId, int driverId, string message, string clientMessageId, CancellationToken ct = default)
    {
        var stored = await Connection.InvokeAsync<JsonElement>("send_message",
            new SendMessageArgs(offerId, driverId, message, clientMessageId), ct);
        return WireMessage.From(stored);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Connection.DisposeAsync();
        }
        catch (Exception)
        {
            // Best effort: the server may be gone already.
        }
    }

    /// <summary>Connects many clients, <paramref name="parallel"/> at a time; fails the run if any can't connect.</summary>
    public static async Task ConnectAllAsync(IReadOnlyList<BenchClient> clients, int parallel = 64, Action<int>? progress = null)
    {
        var done = 0;
        await Parallel.ForEachAsync(clients, new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (c, ct) =>
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await c.StartAsync(ct);
                    break;
                }
                catch (Exception e) when (attempt < 3)
                {
                    _ = e;
                    await Task.Delay(200 * attempt, ct);
                }
                catch (Exception e)
                {
                    throw new BenchFailedException($"A {c.UserType} ({c.Id}) could not connect to the hub: {e.Message}");
                }
            }
            progress?.Invoke(Interlocked.Increment(ref done));
        });
    }

    public static async Task DisposeAllAsync(IEnumerable<BenchClient> clients)
    {
        await Parallel.ForEachAsync(clients, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (c, _) => await c.DisposeAsync());
    }

    public static long Now() => Stopwatch.GetTimestamp();
}

/// <summary>An event payload read for its <c>id</c> only.</summary>
public sealed class IdOnly
{
    public int Id { get; set; }
}

/// <summary>An event payload read for nothing: every property is skipped.</summary>
public sealed class Skipped;

public sealed record SendMessageArgs(int OfferId, int DriverId, string Message, string ClientMessageId);
public sealed record ConversationArgs(int OfferId, int DriverId);
public sealed record EmptyArgs;
