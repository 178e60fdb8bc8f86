using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace DriverOffers.Bench;

/// <summary>The REST calls the scenarios need, each with the caller's token. One pooled HTTP handler for all.</summary>
public sealed class Api(Uri baseUrl) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = 256,
        PooledConnectionLifetime = TimeSpan.FromMinutes(10),
    })
    { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>Creates an active offer as <paramref name="dispatcherToken"/>, sent at once to <paramref name="driverIds"/>
    /// (at most 1,000); returns its id.</summary>
    public async Task<int> CreateOfferAsync(string dispatcherToken, int n, IReadOnlyList<int>? driverIds = null)
    {
        var body = new Dictionary<string, object?>
        {
            ["pickup_location"] = "Rockford, IL 61101",
            ["pickup_lat"] = 42.2711,
            ["pickup_lon"] = -89.094,
            ["delivery_location"] = "Smyrna, TN 37167",
            ["delivery_lat"] = 35.9828,
            ["delivery_lon"] = -86.5186,
            ["weight_lbs"] = 12000,
            ["distance_miles"] = 520,
            ["proposed_rate"] = 1500 + n % 500,
            ["notes"] = $"bench offer {n}",
        };
        if (driverIds is { Count: > 0 })
        {
            body["driver_ids"] = driverIds;
        }
        using var r = await SendAsync(HttpMethod.Post, "/api/offers", dispatcherToken, body);
        var json = await r.Content.ReadFromJsonAsync<JsonElement>();
        return json.GetProperty("id").GetInt32();
    }

    /// <summary>Sends the offer to drivers, at most 1,000 per call as the server allows.</summary>
    public async Task SendToDriversAsync(string dispatcherToken, int offerId, IReadOnlyList<int> driverIds)
    {
        foreach (var chunk in driverIds.Chunk(1000))
        {
            using var r = await SendAsync(HttpMethod.Post, $"/api/offers/{offerId}/send-to-drivers", dispatcherToken,
                new Dictionary<string, object?> { ["driver_ids"] = chunk });
        }
    }

    /// <summary>A conversation page after <paramref name="afterId"/> (REST catch-up after a reconnect).</summary>
    public async Task<List<WireMessage>> ChatAfterAsync(string token, int offerId, int driverId, long afterId, int limit = MaxPage)
    {
        using var r = await SendAsync(HttpMethod.Get, $"/api/offers/{offerId}/chat/{driverId}?after_id={afterId}&limit={limit}", token, null);
        var json = await r.Content.ReadFromJsonAsync<JsonElement>();
        return WireMessage.ListFrom(json);
    }

    /// <summary>The most a chat page returns (GetConversation.MaxLimit).</summary>
    public const int MaxPage = 200;

    /// <summary>Every message of a conversation, paging with after_id.</summary>
    public async Task<List<WireMessage>> WholeChatAsync(string token, int offerId, int driverId)
    {
        var all = new List<WireMessage>();
        long after = 0;
        while (true)
        {
            var page = await ChatAfterAsync(token, offerId, driverId, after);
            all.AddRange(page);
            if (page.Count < MaxPage) return all;
            after = page.Max(m => m.Id);
        }
    }

    public async Task<WireMessage> PostMessageAsync(string token, int offerId, int driverId, string message, string clientMessageId)
    {
        using var r = await SendAsync(HttpMethod.Post, $"/api/offers/{offerId}/chat/{driverId}", token,
            new Dictionary<string, object?> { ["message"] = message, ["client_message_id"] = clientMessageId });
        return WireMessage.From(await r.Content.ReadFromJsonAsync<JsonElement>());
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string token, object? body)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        var response = await _http.SendAsync(request);
        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync();
            response.Dispose();
            throw new BenchFailedException($"{method} {path} → {(int)response.StatusCode}: {Truncate(text, 400)}");
        }
        return response;
    }

    private static string Truncate(string s, int n) => s.Length <= n ? s : s[..n] + "…";

    public void Dispose() => _http.Dispose();
}

/// <summary>The fields of a stored chat message the bench checks (MessageResponse on the wire).</summary>
public sealed record WireMessage(long Id, int OfferId, int DriverId, string SenderType, int SenderId, string Message, string MessageType, string? ClientMessageId)
{
    public static WireMessage From(JsonElement e) => new(
        e.GetProperty("id").GetInt64(), e.GetProperty("offer_id").GetInt32(), e.GetProperty("driver_id").GetInt32(),
        e.GetProperty("sender_type").GetString() ?? "", e.GetProperty("sender_id").GetInt32(),
        e.GetProperty("message").GetString() ?? "", e.GetProperty("message_type").GetString() ?? "",
        e.TryGetProperty("client_message_id", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null);

    /// <summary>A page is either a JSON array or an object holding one (<c>messages</c>, <c>items</c>, …).</summary>
    public static List<WireMessage> ListFrom(JsonElement json)
    {
        if (json.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in json.EnumerateObject())
            {
                if (p.Value.ValueKind == JsonValueKind.Array)
                {
                    json = p.Value;
                    break;
                }
            }
        }
        if (json.ValueKind != JsonValueKind.Array)
        {
            throw new BenchFailedException($"Unexpected chat page: {json.ToString()[..Math.Min(200, json.ToString().Length)]}");
        }
        return [.. json.EnumerateArray().Select(From)];
    }
}

/// <summary>The server answered wrongly or lost something: the run fails (and so does the smoke test).</summary>
public sealed class BenchFailedException(string message) : Exception(message);
